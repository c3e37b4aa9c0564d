// Admin routes for sources and OPML (interface.md). All require the admin bearer token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import * as sources from '../../sources/sources.js';
import { adminGuard } from '../admin-auth.js';
import { decodeCursor, encodeCursor, parseLimit } from '../cursor.js';

export interface SourceRouteOptions {
  db: Kysely<Database>;
  adminToken: string | null;
  fetch: sources.FetchSettings;
}

const isIdCursor = (value: unknown): value is string => typeof value === 'string' && /^\d{1,18}$/.test(value);
type IdParams = FastifyRequest<{ Params: { id: string } }>;

export function sourceRoutes(app: FastifyInstance, options: SourceRouteOptions): void {
  const { db } = options;
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(options.adminToken));
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
