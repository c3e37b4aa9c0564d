// Admin routes for sources and OPML (docs/interface.md). All require the admin bearer token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Poller } from '../../ingest/poller.js';
import { fetchHistory } from '../../../db/queries/fetch-history.js';
import type { Database } from '../../../db/schema.js';
import * as sources from '../../sources/sources.js';
import { adminScope, type AdminOptions } from '../admin-auth.js';
import { decodeCursor, encodeCursor, parseLimit } from '../cursor.js';
import { sendError } from '../errors.js';

export interface SourceRouteOptions {
  db: Kysely<Database>;
  admin: AdminOptions;
  fetch: sources.FetchSettings;
  poller: Poller | null;
}

const isIdCursor = (value: unknown): value is string => typeof value === 'string' && /^\d{1,18}$/.test(value);
type IdParams = FastifyRequest<{ Params: { id: string } }>;

export function sourceRoutes(app: FastifyInstance, options: SourceRouteOptions): void {
  const { db } = options;
  app.register(async (admin) => {
    adminScope(admin, options.admin);
    // OPML bodies arrive as XML; keep them as text for the OPML parser.
    admin.addContentTypeParser(
      ['text/xml', 'application/xml', 'text/x-opml', 'application/octet-stream', 'text/plain'],
      { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );

    admin.get('/api/sources', async (request: FastifyRequest<{ Querystring: { limit?: string; cursor?: string } }>) => {
      const limit = parseLimit(request.query.limit, 100);
      const after = decodeCursor(request.query.cursor, isIdCursor);
      const page = await sources.listSources(db, limit + 1, after);
      const more = page.length > limit;
      const list = page.slice(0, limit);
      return { sources: list, nextCursor: more ? encodeCursor(list[list.length - 1]!.id) : null };
    });

    admin.post(
      '/api/sources',
      {
        schema: {
          body: {
            type: 'object',
            required: ['url'],
            additionalProperties: false,
            properties: { url: { type: 'string', minLength: 1 }, title: { type: ['string', 'null'] }, validate: { type: 'boolean' } },
          },
        },
      },
      async (request: FastifyRequest<{ Body: { url: string; title?: string | null; validate?: boolean } }>, reply) => {
        const source = await sources.addSource(db, options.fetch, request.body);
        return reply.status(201).header('location', `/api/sources/${source.id}`).send(source);
      },
    );

    admin.get('/api/sources/:id', async (request: IdParams) => sources.getSource(db, request.params.id));

    admin.patch(
      '/api/sources/:id',
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              title: { type: ['string', 'null'] },
              status: { type: 'string', enum: ['active', 'paused'] },
              preferred: { type: 'boolean' },
            },
          },
        },
      },
      async (request: FastifyRequest<{ Params: { id: string }; Body: sources.SourceChanges }>) =>
        sources.updateSource(db, request.params.id, request.body),
    );

    admin.post('/api/sources/:id/poll', async (request: IdParams, reply) => {
      const source = await sources.getSource(db, request.params.id);
      if (!options.poller) return sendError(reply, 503, 'unavailable', 'polling is not available in this process');
      const result = await options.poller.pollOne(source.id);
      if (!result || result.status === 'skipped') {
        return sendError(reply, 409, 'busy', `source ${source.id} is being polled by another worker; try again shortly`);
      }
      return { result, source: await sources.getSource(db, source.id) };
    });

    admin.get('/api/sources/:id/history', async (request: FastifyRequest<{ Params: { id: string }; Querystring: { limit?: string } }>) => {
      const source = await sources.getSource(db, request.params.id);
      const limit = parseLimit(request.query.limit, 50);
      const rows = await fetchHistory(db, source.id, limit);
      return {
        history: rows.map((h) => ({
          startedAt: h.started_at.toISOString(),
          durationMs: h.duration_ms,
          status: h.status,
          httpStatus: h.http_status,
          bytes: h.bytes,
          itemsNew: h.items_new,
          itemsUpdated: h.items_updated,
          error: h.error_kind ? { kind: h.error_kind, message: h.error_message } : null,
        })),
        nextCursor: null,
      };
    });

    admin.delete('/api/sources/:id', async (request: IdParams, reply) => {
      await sources.removeSource(db, request.params.id);
      return reply.status(204).send();
    });

    admin.post('/api/opml', async (request: FastifyRequest<{ Body: unknown }>) => {
      const body = typeof request.body === 'string' ? request.body : '';
      return sources.importOpml(db, body);
    });

    admin.get('/api/opml', async (_request, reply) =>
      reply
        .type('text/x-opml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="feedloom-sources.opml"')
        .send(await sources.exportOpml(db)),
    );
  });
}
