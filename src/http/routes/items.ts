// Public item route: GET /api/items, newest first, with filters and a keyset cursor.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import * as stories from '../../stories/stories.js';
import { encodeCursor, parseLimit } from '../cursor.js';
import { cursorParam, idParam, keysetToCursor, searchParam, single, timeParam, type Query } from '../query-params.js';

export function itemRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.get('/api/items', async (request: FastifyRequest<{ Querystring: Query }>) => {
    const query = request.query;
    const page = await stories.listItems(db, {
      q: searchParam(query),
      sourceId: idParam(query, 'source'),
      clusterId: idParam(query, 'cluster'),
      since: timeParam(query, 'since'),
      limit: parseLimit(single(query, 'limit'), 50),
      // Every item has a time (published, else fetched).
      after: cursorParam(query, false),
    });
    return { items: page.rows, nextCursor: page.next ? encodeCursor(keysetToCursor(page.next)) : null };
  });
}
