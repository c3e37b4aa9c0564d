// Applies pending migrations. Safe to call at every start: kysely's Migrator holds a lock while it
// runs, so two workers starting together on one PostgreSQL apply each migration once.
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { UserError, messageOf } from '../src/errors.js';
import { migrations } from './migrations/index.js';

export interface MigrationReport {
  applied: string[];
  /** Every migration now in the database, oldest first. */
  current: string[];
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'feedloom_migration',
    migrationLockTableName: 'feedloom_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new UserError(
      `database migration ${failed ?? ''} failed: ${messageOf(error)}`.replace('  ', ' '),
      'migration',
      { cause: error },
    );
  }
  const current = (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
  const unknownToThisVersion = current.filter((name) => !(name in migrations));
  if (unknownToThisVersion.length > 0) {
    // A newer feedloom migrated this database; running older code on it could damage data.
    throw new UserError(
      `the database has migrations this feedloom does not know (${unknownToThisVersion.join(', ')}); upgrade feedloom`,
      'migration',
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), current };
}
