// Public story routes: GET /api/clusters (filters, keyset cursor) and GET /api/clusters/{id}.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import * as stories from '../../stories/stories.js';
import { split } from '../../stories/story-store.js';
import { topicQueryOf } from '../../topics/topics.js';
import { adminScope, type AdminOptions } from '../admin-auth.js';
import { encodeCursor, parseLimit } from '../cursor.js';
import { sendError } from '../errors.js';
import { countParam, cursorParam, keysetToCursor, searchParam, single, timeParam, type Query } from '../query-params.js';

export function clusterRoutes(app: FastifyInstance, db: Kysely<Database>, adminOptions: AdminOptions): void {
  app.register(async (admin) => {
    adminScope(admin, adminOptions);
    // An over-grown story is split by hand: the listed items (and their copies) become a story of their own.
    admin.post(
      '/api/clusters/:id/split',
      {
        schema: {
          body: {
            type: 'object',
            required: ['itemIds'],
            additionalProperties: false,
            properties: { itemIds: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'string', pattern: '^[0-9]{1,18}$' } } },
          },
        },
      },
      async (request: FastifyRequest<{ Params: { id: string }; Body: { itemIds: string[] } }>, reply) => {
        const { id } = request.params;
        if (!/^\d{1,18}$/.test(id)) return sendError(reply, 404, 'not_found', `no cluster with id ${id}`);
        const created = await db.transaction().execute((trx) => split(trx, id, request.body.itemIds));
        if (!created) return sendError(reply, 422, 'not_in_story', `none of these items is in story ${id}`);
        const found = await stories.getCluster(db, created);
        return reply.status(201).header('location', `/api/clusters/${created}`).send(found.kind === 'found' ? found.cluster : { id: created });
      },
    );
  });

  app.get('/api/clusters', async (request: FastifyRequest<{ Querystring: Query }>) => {
    const query = request.query;
    const slug = single(query, 'topic');
    const topic = slug ? await topicQueryOf(db, slug) : null;
    const page = await stories.listClusters(db, {
      topic,
      q: searchParam(query),
      since: timeParam(query, 'since'),
      until: timeParam(query, 'until'),
      minItems: countParam(query, 'minItems'),
      minSources: countParam(query, 'minSources'),
      limit: parseLimit(single(query, 'limit'), 50),
      after: cursorParam(query, true),
    });
    return { clusters: page.rows, nextCursor: page.next ? encodeCursor(keysetToCursor(page.next)) : null };
  });

  app.get('/api/clusters/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const { id } = request.params;
    const found = await stories.getCluster(db, id);
    switch (found.kind) {
      case 'found':
        return found.cluster;
      case 'merged':
        // The story was merged into another: its address moves there for good.
        return reply.redirect(`/api/clusters/${found.into}`, 308);
      case 'missing':
        return sendError(reply, 404, 'not_found', `no cluster with id ${id}`);
    }
  });
}
