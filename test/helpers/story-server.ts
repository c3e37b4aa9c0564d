// A database (per test file) and the HTTP app on it, for the suites that read stories and feeds.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseHandle, Engine } from '../../db/connect.js';
import type { TopicFeeds } from '../../src/http/routes/feeds.js';
import { buildServerWithFeeds } from '../../src/http/server.js';
import { StoryChanges } from '../../src/publish/story-changes.js';
import { silentLogger } from '../../src/log/logger.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from './databases.js';

export interface StoryServer {
  readonly db: DatabaseHandle['db'];
  readonly app: FastifyInstance;
  readonly feeds: TopicFeeds;
  /** Announce here what a test changes in the database directly (as the store path does). */
  readonly changes: StoryChanges;
}

export function useStoryServer(engine: Engine, config: { adminToken?: string | null; publicUrl?: string; hub?: string | null } = {}): StoryServer {
  let test: TestDatabase;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let feeds: TopicFeeds;
  const changes = new StoryChanges();
  beforeAll(async () => {
    test = await createTestDatabase(engine);
    handle = await openTestDatabase(test);
    ({ app, feeds } = await buildServerWithFeeds({
      db: handle.db,
      config: { adminToken: config.adminToken ?? null, publicUrl: config.publicUrl ?? 'http://localhost' },
      fetch: { userAgent: 'feedloom-test', allowPrivateNetworks: true, timeoutMs: 5_000 },
      logger: silentLogger(),
      changes,
      hub: config.hub ?? null,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await test?.dispose();
  });
  return {
    get db() {
      return handle.db;
    },
    get app() {
      return app;
    },
    get feeds() {
      return feeds;
    },
    changes,
  };
}
