import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { databaseRoundTrip } from '../../../db/queries/health.js';
import type { Database } from '../../../db/schema.js';
import { messageOf } from '../../errors.js';

export function healthRoutes(app: FastifyInstance, db: Kysely<Database>, timeoutMs = 5_000): void {
  app.get('/healthz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        databaseRoundTrip(db),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'health check failed');
      return reply.status(503).send({ status: 'error', database: 'error', reason: messageOf(error) });
    }
  });
}
