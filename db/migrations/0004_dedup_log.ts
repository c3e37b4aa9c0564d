// Near-duplicate candidates move from the item_bands table to an in-memory index in each worker
// (src/dedup/band-index.ts): probing and writing 20 band keys per item cost PostgreSQL ~0.4 ms per
// item, twice the budget for the whole dedup step. Band keys are derived from items.minhash, so
// nothing is lost by dropping the table.
//
// dedup_log numbers items in the order their store transactions passed the dedup lock, which is
// commit order: a worker catches up on what other workers deduplicated by asking for the numbers
// above the last one it saw. A table of its own, because numbering the items themselves would
// rewrite every new item's row (and all of its index entries) a second time.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dedup_log')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('item_id', 'bigint', (c) => c.notNull())
    .addColumn('logged_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Workers load the items of the last days at start: by publication time, else fetch time.
  await sql`create index items_dedup_at_idx on items ((coalesce(published_at, fetched_at))) where minhash is not null`.execute(db);
  await db.schema.dropTable('item_bands').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('item_bands')
    .addColumn('key', 'bigint', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('item_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_bands_pkey', ['key', 'at', 'item_id'])
    .execute();
  await db.schema.dropIndex('items_dedup_at_idx').ifExists().execute();
  await db.schema.dropTable('dedup_log').ifExists().execute();
}
