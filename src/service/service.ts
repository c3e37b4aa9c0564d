// `feedloom serve` and `feedloom worker`: the long-running processes. Start-up fails fast with one
// clear line; shutdown on SIGINT/SIGTERM stops accepting requests, lets running jobs finish (or
// leaves them re-runnable), then closes the database so the embedded engine flushes to disk.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/connect.js';
import { Poller } from '../ingest/poller.js';
import { Scheduler, type JobFactory } from './scheduler.js';
import type { Config } from '../config/config.js';
import { UserError, messageOf } from '../errors.js';
import { buildServerWithFeeds } from '../http/server.js';
import { StoryChanges, listenForStoryChanges, type ChangeListener } from '../publish/story-changes.js';
import { WebSubPublisher } from '../publish/websub.js';
import { fetchSettings, openMigratedDatabase, pollSettings } from './runtime.js';

export interface ServiceOptions {
  http: boolean;
  scheduler: boolean;
  /** The scheduled jobs (jobs/index.ts); required with `scheduler`. */
  jobs?: JobFactory;
}

export interface RunningService {
  url: string | null;
  database: DatabaseHandle;
  scheduler: Scheduler | null;
  stop(): Promise<void>;
}

export async function startService(config: Config, logger: Logger, options: ServiceOptions): Promise<RunningService> {
  const command = options.http ? `feedloom serve${options.scheduler ? '' : ' --no-scheduler'}` : 'feedloom worker';
  const database = await openMigratedDatabase(config, command, logger);
  let app: FastifyInstance | null = null;
  let scheduler: Scheduler | null = null;
  let url: string | null = null;
  let listener: ChangeListener | null = null;
  let websub: WebSubPublisher | null = null;
  // Committed changes are announced here; published feeds are re-checked only then (feed-cache.ts).
  const changes = new StoryChanges();
  const poller = new Poller({ db: database.db, fetch: fetchSettings(config), logger, settings: pollSettings(config), changes });
  try {
    if (options.http) {
      // Other processes on the same PostgreSQL (workers, CLI commands) announce through NOTIFY.
      if (config.databaseUrl) listener = listenForStoryChanges(config.databaseUrl, changes, logger);
      const server = await buildServerWithFeeds({ db: database.db, config, fetch: fetchSettings(config), logger, poller, changes, hub: config.websubHub });
      app = server.app;
      if (config.websubHub) {
        websub = new WebSubPublisher({
          hub: config.websubHub,
          feeds: server.feeds,
          topicSlugs: async () => (await server.feeds.list()).map((t) => t.slug),
          changes,
          logger,
          userAgent: config.userAgent,
        });
        await websub.start();
      }
      url = await listen(app, config);
      await database.lock?.describe({ url });
    }
    if (options.scheduler) {
      if (!options.jobs) throw new Error('a scheduler needs its jobs (jobs/index.ts)');
      scheduler = new Scheduler(logger);
      for (const job of options.jobs({ poller, db: database.db, config, changes })) scheduler.add(job);
      scheduler.start();
    }
  } catch (error) {
    await websub?.stop().catch(() => undefined);
    await listener?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
  logger.info({ url, database: database.engine, location: database.location, scheduler: Boolean(scheduler) }, 'feedloom started');

  let stopping: Promise<void> | null = null;
  return {
    url,
    database,
    scheduler,
    stop() {
      stopping ??= (async () => {
        logger.info('shutting down');
        // Order matters: stop taking new work, finish what runs, then close storage.
        await app?.close().catch((error) => logger.error({ err: error }, 'closing HTTP failed'));
        await scheduler?.stop();
        await websub?.stop();
        await listener?.close();
        await database.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') throw new UserError(`cannot listen on ${where}: the port is already in use`, 'listen');
    if (code === 'EACCES') throw new UserError(`cannot listen on ${where}: permission denied`, 'listen');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UserError(`cannot listen on ${where}: no such local address`, 'listen');
    }
    throw new UserError(`cannot listen on ${where}: ${messageOf(error)}`, 'listen');
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}

/** Runs until SIGINT/SIGTERM, then stops cleanly. A second signal exits at once. */
export async function runUntilSignal(service: RunningService, logger: Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      received += 1;
      if (received > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      logger.info({ signal }, 'signal received');
      void service.stop().then(resolve, (error) => {
        logger.error({ err: error }, 'shutdown failed');
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
