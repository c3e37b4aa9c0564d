// A database (per test file) and the HTTP app on it, for the suites that read stories and feeds.
import type { Engine } from '../../db/connect.js';
import { useTestEnvironment, type AppOptions, type TestEnvironment } from './environment.js';

export type StoryServer = TestEnvironment;

export function useStoryServer(engine: Engine, config: AppOptions = {}): StoryServer {
  return useTestEnvironment(engine, { app: config });
}
