// Near-duplicate index: each item's MinHash signature, and its LSH band keys in a table of their
// own so that "items sharing a band with this one, published around the same time" is one index
// lookup. Replaces the unused simhash column of 0001.
//
// item_bands is a pure index with one B-tree and no foreign key: every new item writes 20 rows,
// and per-row foreign-key checks and extra indexes tripled the cost of a poll's dedup step. Rows of
// deleted items are harmless (candidates are looked up in items) and retention prunes them by age.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('items').dropColumn('simhash').execute();
  await db.schema.alterTable('items').addColumn('minhash', sql`int4[]`).execute();
  await db.schema
    .createTable('item_bands')
    .addColumn('key', 'bigint', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('item_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_bands_pkey', ['key', 'at', 'item_id'])
    .execute();
  // Cross-source guid matches.
  await db.schema.createIndex('items_guid_idx').on('items').column('guid').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('item_bands').ifExists().execute();
  await db.schema.dropIndex('items_guid_idx').ifExists().execute();
  await db.schema.alterTable('items').dropColumn('minhash').execute();
  await db.schema.alterTable('items').addColumn('simhash', 'bigint').execute();
}
