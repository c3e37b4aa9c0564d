// A database (per test file, emptied before each test) and a fixture feed server, for the suites
// that poll through the production path.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DatabaseHandle, Engine } from '../../db/connect.js';
import { createTestDatabase, openTestDatabase, resetDatabase, type TestDatabase } from './databases.js';
import { startFeedServer, type FeedServer } from './feed-server.js';

export interface PollEnvironment {
  readonly db: DatabaseHandle['db'];
  readonly server: FeedServer;
}

export function usePollEnvironment(engine: Engine): PollEnvironment {
  let test: TestDatabase;
  let handle: DatabaseHandle;
  let server: FeedServer;
  beforeAll(async () => {
    test = await createTestDatabase(engine);
    handle = await openTestDatabase(test);
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close();
    await test?.dispose();
  });
  beforeEach(async () => {
    await resetDatabase(handle.db);
    server.requests.length = 0;
  });
  return {
    get db() {
      return handle.db;
    },
    get server() {
      return server;
    },
  };
}
