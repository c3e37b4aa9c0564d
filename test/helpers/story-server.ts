// A database (per test file) and the HTTP app on it, for the suites that read stories and feeds.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseHandle, Engine } from '../../db/connect.js';
import { buildServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from './databases.js';

export interface StoryServer {
  readonly db: DatabaseHandle['db'];
  readonly app: FastifyInstance;
}

export function useStoryServer(engine: Engine, config: { adminToken?: string | null; publicUrl?: string } = {}): StoryServer {
  let test: TestDatabase;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    test = await createTestDatabase(engine);
    handle = await openTestDatabase(test);
    app = await buildServer({
      db: handle.db,
      config: { adminToken: config.adminToken ?? null, publicUrl: config.publicUrl ?? 'http://localhost' },
      fetch: { userAgent: 'feedloom-test', allowPrivateNetworks: true, timeoutMs: 5_000 },
      logger: silentLogger(),
    });
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
  };
}
