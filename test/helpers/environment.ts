// The one set-up of the suites that need the outside world: a database of one engine for the whole
// file (databases.ts), and on request a fixture feed server on 127.0.0.1 (feed-server.ts) and the
// HTTP app on the database; `cliEnv` is what a `feedloom` command needs to reach them.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DatabaseHandle, Engine } from '../../db/connect.js';
import { buildServerWithFeeds, type Server } from '../../src/http/server.js';
import { Poller } from '../../src/ingest/poller.js';
import { silentLogger } from '../../src/log/logger.js';
import { StoryChanges } from '../../src/publish/story-changes.js';
import { createTestDatabase, openTestDatabase, resetDatabase, type TestDatabase } from './databases.js';
import { startFeedServer, type FeedServer } from './feed-server.js';

type TopicFeeds = Server['feeds'];

/** How tests fetch: fixture feeds are served on 127.0.0.1. */
export const testFetch = { userAgent: 'feedloom-test', allowPrivateNetworks: true, timeoutMs: 5_000 };

export interface AppOptions {
  adminToken?: string | null;
  publicUrl?: string;
  /** The WebSub hub the feeds name, or a route of the feed server that plays it. */
  hub?: string | null | ((server: FeedServer) => string);
  /** A poller for the admin routes that poll (POST /api/sources/:id/poll). */
  poller?: boolean;
}

export interface EnvironmentOptions {
  /** Off for a database with no tables yet, as users start (opening it migrates it). */
  migrated?: boolean;
  /**
   * Keeps the database open in this process for the whole file (the default). Off for suites
   * whose commands open it, one at a time: an embedded data directory admits one opener.
   */
  open?: boolean;
  /** Empties every table (and the feed server's request log) before each test. */
  reset?: boolean;
  /** Starts a fixture feed server. */
  feeds?: boolean;
  /** Builds the HTTP app on the database (with `open`). */
  app?: AppOptions;
}

export interface TestEnvironment {
  readonly engine: Engine;
  readonly database: TestDatabase;
  readonly handle: DatabaseHandle;
  readonly db: DatabaseHandle['db'];
  readonly server: FeedServer;
  readonly app: FastifyInstance;
  readonly feeds: TopicFeeds;
  /** Announce here what a test changes in the database directly (as the store path does). */
  readonly changes: StoryChanges;
  /** The environment of a `feedloom` command on this database, private networks allowed. */
  readonly cliEnv: Record<string, string>;
  /** Opens the database for `work` and closes it again (for suites that keep it closed). */
  withDb<T>(work: (db: DatabaseHandle['db']) => Promise<T>): Promise<T>;
}

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`this test environment has no ${what}`);
  return value;
}

export function useTestEnvironment(engine: Engine, options: EnvironmentOptions = {}): TestEnvironment {
  const open = options.open ?? true;
  let database: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  let server: FeedServer | undefined;
  let app: FastifyInstance | undefined;
  let feeds: TopicFeeds | undefined;
  const changes = new StoryChanges();

  beforeAll(async () => {
    database = await createTestDatabase(engine, { migrated: options.migrated ?? true });
    if (open) handle = await openTestDatabase(database);
    if (options.feeds) server = await startFeedServer();
    if (options.app) {
      const { adminToken = null, publicUrl = 'http://localhost', hub = null, poller } = options.app;
      const db = present(handle, 'open database').db;
      ({ app, feeds } = await buildServerWithFeeds({
        db,
        config: { adminToken, publicUrl },
        fetch: testFetch,
        logger: silentLogger(),
        changes,
        hub: typeof hub === 'function' ? hub(present(server, 'feed server')) : hub,
        ...(poller ? { poller: new Poller({ db, fetch: testFetch, logger: silentLogger() }) } : {}),
      }));
    }
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    await handle?.close();
    await database?.dispose();
  });
  if (options.reset) {
    beforeEach(async () => {
      if (handle) await resetDatabase(handle.db);
      else await environment.withDb(resetDatabase);
      if (server) server.requests.length = 0;
    });
  }

  const environment: TestEnvironment = {
    engine,
    get database() {
      return present(database, 'database yet');
    },
    get handle() {
      return present(handle, 'open database');
    },
    get db() {
      return present(handle, 'open database').db;
    },
    get server() {
      return present(server, 'feed server');
    },
    get app() {
      return present(app, 'app');
    },
    get feeds() {
      return present(feeds, 'app');
    },
    changes,
    get cliEnv() {
      const { dataDir, databaseUrl } = present(database, 'database yet');
      return { DATA_DIR: dataDir, ALLOW_PRIVATE_NETWORKS: 'true', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    },
    async withDb(work) {
      const opened = await openTestDatabase(present(database, 'database yet'));
      try {
        return await work(opened.db);
      } finally {
        await opened.close();
      }
    },
  };
  return environment;
}
