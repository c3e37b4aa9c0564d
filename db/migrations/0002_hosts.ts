// Per-host politeness state: when one source on a host gets 429/503, every source on that host
// waits, so a busy server is not hammered through its other feeds.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hosts')
    .addColumn('host', 'text', (c) => c.primaryKey())
    .addColumn('blocked_until', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hosts').ifExists().execute();
}
