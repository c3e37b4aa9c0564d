// The one error shape of the HTTP API: {"error":{"code","message"}} with a fitting status.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../errors.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  not_found: 404,
  conflict: 409,
  locked: 409,
  invalid_url: 422,
  invalid_feed: 422,
  invalid_opml: 422,
  invalid_slug: 422,
  invalid_topic: 422,
  invalid_query: 422,
};

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send({ error: { code, message } });
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) return sendError(reply, error.statusCode, error.code, error.message);
  if (error instanceof UserError) return sendError(reply, STATUS_BY_CODE[error.code] ?? 400, error.code, error.message);
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return sendError(reply, 400, 'bad_request', fastifyError.message);
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return sendError(reply, status, code, fastifyError.message);
  }
  request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
  return sendError(reply, 500, 'internal', 'internal error; see the server log');
}
