// Opening what every command needs: the database (migrated) and fetch settings from the config.
import type { Logger } from 'pino';
import { openDatabase, type DatabaseHandle } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Config } from '../config/config.js';
import type { FetchSettings } from '../sources/sources.js';

/** Opens the configured database and brings its schema up to date (migrations run at every start). */
export async function openMigratedDatabase(config: Config, command: string, logger: Logger): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command, logger });
  try {
    const { applied } = await migrateToLatest(handle.db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Poller settings that come from the configuration. */
export function pollSettings(config: Config) {
  return { dedup: { nearThreshold: config.dedupNearThreshold, windowHours: config.dedupWindowHours } };
}

export function fetchSettings(config: Config): FetchSettings {
  return {
    userAgent: config.userAgent,
    allowPrivateNetworks: config.allowPrivateNetworks,
    timeoutMs: 30_000,
  };
}
