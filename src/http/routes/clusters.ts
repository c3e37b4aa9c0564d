// Public story routes: GET /api/clusters (filters, keyset cursor) and GET /api/clusters/{id}.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import * as stories from '../../stories/stories.js';
import { encodeCursor, parseLimit } from '../cursor.js';
import { HttpError, sendError } from '../errors.js';
import { countParam, cursorParam, keysetToCursor, searchParam, single, timeParam, type Query } from '../query-params.js';

export function clusterRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.get('/api/clusters', async (request: FastifyRequest<{ Querystring: Query }>) => {
    const query = request.query;
    if (single(query, 'topic') !== undefined) {
      throw new HttpError(400, 'unsupported', 'topic filters arrive with topic feeds');
    }
    const page = await stories.listClusters(db, {
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
