// The HTTP application: routes and error handling, no listening. Tests inject requests into it;
// the service starts it on HOST:PORT.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { Config } from '../config/config.js';
import type { Poller } from '../../jobs/poll.js';
import type { FetchSettings } from '../sources/sources.js';
import { errorHandler, sendError } from './errors.js';
import { clusterRoutes } from './routes/clusters.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { itemRoutes } from './routes/items.js';
import { metricsRoutes } from './routes/metrics.js';
import { sourceRoutes } from './routes/sources.js';
import { topicRoutes } from './routes/topics.js';

export interface ServerDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'adminToken' | 'publicUrl'>;
  fetch: FetchSettings;
  logger: Logger;
  /** Polls a source on request (POST /api/sources/{id}/poll). */
  poller?: Poller;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Behind a reverse proxy PUBLIC_URL tells the outside address; we never trust X-Forwarded-* blindly.
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
  );
  healthRoutes(app, deps.db);
  metricsRoutes(app, deps.db);
  sourceRoutes(app, { db: deps.db, adminToken: deps.config.adminToken, fetch: deps.fetch, poller: deps.poller ?? null });
  topicRoutes(app, deps.db, deps.config.adminToken);
  clusterRoutes(app, deps.db, deps.config.adminToken);
  feedRoutes(app, { db: deps.db, publicUrl: deps.config.publicUrl });
  itemRoutes(app, deps.db);
  await app.ready();
  return app;
}
