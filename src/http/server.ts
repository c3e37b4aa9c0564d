// The HTTP application: routes and error handling, no listening. Tests inject requests into it;
// the service starts it on HOST:PORT.
import http from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { Config } from '../config/config.js';
import type { Poller } from '../ingest/poller.js';
import type { FetchSettings } from '../sources/sources.js';
import { errorHandler, sendError } from './errors.js';
import { clusterRoutes } from './routes/clusters.js';
import { feedRoutes, serveCachedFeed } from './routes/feeds.js';
import { StoryChanges, noticeOtherProcesses } from '../publish/story-changes.js';
import { TopicFeeds } from '../publish/topic-feeds.js';
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
  /** Where committed changes are announced (a fresh channel if not given). */
  changes?: StoryChanges;
  /** WEBSUB_HUB: the hub published feeds name. */
  hub?: string | null;
}

export interface Server {
  app: FastifyInstance;
  /** The topic feeds' renderings (the WebSub publisher checks them). */
  feeds: TopicFeeds;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  return (await buildServerWithFeeds(deps)).app;
}

export async function buildServerWithFeeds(deps: ServerDeps): Promise<Server> {
  const changes = deps.changes ?? new StoryChanges();
  // Cached feeds are answered before Fastify sees the request (serveCachedFeed); set once the
  // feeds exist, and unset while closing so that Fastify answers 503 then.
  let fastPath: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;
  const app = Fastify({
    serverFactory: (handler) => http.createServer((req, res) => (fastPath?.(req, res) ? undefined : handler(req, res))),
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Behind a reverse proxy PUBLIC_URL tells the outside address; we never trust X-Forwarded-* blindly.
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Access logs are the reverse proxy's job: two synchronous log lines per request, and a child
    // logger made for each, would cost feed readers' polling more than serving the feed does.
    // Errors are logged with their request (errorHandler).
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger) => logger,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
  );
  // Every successful admin write may change what feeds show: sources (outlet names, deleted
  // items), topics (queries, titles), stories (splits). Feeds are re-checked after it.
  const admin = {
    adminToken: deps.config.adminToken,
    async announceWrite() {
      changes.announce();
      await noticeOtherProcesses(deps.db).catch((error: unknown) => deps.logger.warn({ err: error }, 'could not notify other processes of a change'));
    },
  };
  healthRoutes(app, deps.db);
  metricsRoutes(app, deps.db);
  sourceRoutes(app, { db: deps.db, admin, fetch: deps.fetch, poller: deps.poller ?? null });
  topicRoutes(app, deps.db, admin);
  clusterRoutes(app, deps.db, admin);
  const feeds = new TopicFeeds({ db: deps.db, publicUrl: deps.config.publicUrl, hub: deps.hub ?? null, changes });
  feedRoutes(app, feeds);
  fastPath = (req, res) => serveCachedFeed(feeds, req, res);
  app.addHook('preClose', async () => {
    fastPath = null;
  });
  itemRoutes(app, deps.db);
  await app.ready();
  return { app, feeds };
}
