// Topic routes: the list is public; changes need the admin token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import * as stories from '../../stories/stories.js';
import { formatTopicQuery } from '../../topics/query.js';
import * as topics from '../../topics/topics.js';
import { parseLimit } from '../cursor.js';
import { HttpError } from '../errors.js';
import { adminScope, type AdminOptions } from '../admin-auth.js';

export function topicRoutes(app: FastifyInstance, db: Kysely<Database>, adminOptions: AdminOptions): void {
  app.get('/api/topics', async () => ({ topics: await topics.listTopics(db), nextCursor: null }));

  // A dry run: the recent stories (active in the last 7 days, or since ?since=) a query would publish.
  app.get('/api/topics/preview', async (request: FastifyRequest<{ Querystring: { query?: string; limit?: string; since?: string } }>) => {
    const query = topics.previewQuery(request.query.query);
    const since = request.query.since ? stories.parseIsoTime(request.query.since) : new Date(Date.now() - 7 * 86_400_000);
    if (!since) throw new HttpError(400, 'bad_since', 'since must be an ISO 8601 date or date-time');
    const page = await stories.listClusters(db, {
      topic: query,
      since,
      limit: parseLimit(request.query.limit, 20, 100),
    });
    return { query: formatTopicQuery(query), clusters: page.rows };
  });

  app.register(async (admin) => {
    adminScope(admin, adminOptions);
    const text = { type: 'string' } as const;
    admin.post(
      '/api/topics',
      {
        schema: {
          body: {
            type: 'object',
            required: ['slug', 'title', 'query'],
            additionalProperties: false,
            properties: { slug: text, title: text, query: text, description: { type: ['string', 'null'] } },
          },
        },
      },
      async (request: FastifyRequest<{ Body: topics.AddTopicInput }>, reply) => {
        const topic = await topics.addTopic(db, request.body);
        return reply.status(201).header('location', `/api/topics/${topic.slug}`).send(topic);
      },
    );
    admin.patch(
      '/api/topics/:slug',
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { title: text, query: text, description: { type: ['string', 'null'] } },
          },
        },
      },
      async (request: FastifyRequest<{ Params: { slug: string }; Body: topics.TopicChanges }>) =>
        topics.updateTopic(db, request.params.slug, request.body),
    );
    admin.delete('/api/topics/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      await topics.removeTopic(db, request.params.slug);
      return reply.status(204).send();
    });
  });
}
