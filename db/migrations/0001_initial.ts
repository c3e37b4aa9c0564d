// The initial schema, designed for the whole pipeline (polling, dedup, clustering, publishing) so
// later stages add behaviour, not tables. SQL here must run on PostgreSQL 15 and on PGlite (18).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sources')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('site_url', 'text')
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'paused', 'failing')`),
    )
    .addColumn('preferred', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('next_poll_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('poll_interval_seconds', 'integer', (c) => c.notNull().defaultTo(900).check(sql`poll_interval_seconds > 0`))
    .addColumn('last_polled_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'timestamptz')
    .execute();
  // The poll job asks "which unpaused sources are due?" every minute.
  await sql`create index sources_due_idx on sources (next_poll_at) where status <> 'paused'`.execute(db);
  await db.schema.createIndex('sources_host_idx').on('sources').column('host').execute();

  await db.schema
    .createTable('clusters')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('label', 'text')
    .addColumn('terms', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'closed', 'merged')`),
    )
    .addColumn('merged_into', 'bigint', (c) => c.references('clusters.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('first_published_at', 'timestamptz')
    .addColumn('last_published_at', 'timestamptz')
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('clusters_last_published_idx').on('clusters').column('last_published_at').execute();
  await db.schema.createIndex('clusters_updated_idx').on('clusters').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('clusters_merged_into_idx').on('clusters').column('merged_into').execute();

  await db.schema
    .createTable('items')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('guid', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('canonical_url', 'text')
    .addColumn('title', 'text')
    .addColumn('summary', 'text')
    .addColumn('content', 'text')
    .addColumn('author', 'text')
    .addColumn('lang', 'text')
    .addColumn('enclosures', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('categories', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('published_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz')
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('content_hash', 'text')
    .addColumn('simhash', 'bigint')
    .addColumn('duplicate_of', 'bigint', (c) => c.references('items.id').onDelete('set null'))
    .addColumn('duplicate_reason', 'text', (c) => c.check(sql`duplicate_reason in ('guid', 'url', 'near')`))
    .addColumn('duplicate_similarity', 'real')
    .addColumn('cluster_id', 'bigint', (c) => c.references('clusters.id').onDelete('set null'))
    .addColumn('cluster_similarity', 'real')
    .addColumn('cluster_reason', 'jsonb')
    // Stemmed by the item's language where PostgreSQL has a dictionary for it; capped because a
    // tsvector is limited to 1 MiB and one runaway feed must not make an insert fail.
    .addColumn('search', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`
        case
          when lang like 'ru%' then
            setweight(to_tsvector('russian', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('russian', left(coalesce(summary, ''), 20000)), 'B') ||
            setweight(to_tsvector('russian', left(coalesce(content, ''), 100000)), 'C')
          when lang is null or lang like 'en%' then
            setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('english', left(coalesce(summary, ''), 20000)), 'B') ||
            setweight(to_tsvector('english', left(coalesce(content, ''), 100000)), 'C')
          else
            setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('simple', left(coalesce(summary, ''), 20000)), 'B') ||
            setweight(to_tsvector('simple', left(coalesce(content, ''), 100000)), 'C')
        end`).stored(),
    )
    .addUniqueConstraint('items_source_guid_key', ['source_id', 'guid'])
    .execute();
  await db.schema.createIndex('items_canonical_url_idx').on('items').column('canonical_url').execute();
  await db.schema.createIndex('items_content_hash_idx').on('items').column('content_hash').execute();
  await db.schema.createIndex('items_published_idx').on('items').column('published_at').execute();
  await db.schema.createIndex('items_fetched_idx').on('items').column('fetched_at').execute();
  await db.schema.createIndex('items_cluster_idx').on('items').column('cluster_id').execute();
  await db.schema.createIndex('items_duplicate_of_idx').on('items').column('duplicate_of').execute();
  await db.schema.createIndex('items_source_published_idx').on('items').columns(['source_id', 'published_at']).execute();
  await db.schema.createIndex('items_search_idx').on('items').using('gin').column('search').execute();

  await db.schema
    .createTable('topics')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('fetch_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ok', 'not_modified', 'error')`))
    .addColumn('http_status', 'integer')
    .addColumn('bytes', 'integer')
    .addColumn('items_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_kind', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema.createIndex('fetch_history_source_idx').on('fetch_history').columns(['source_id', 'started_at']).execute();
  await db.schema.createIndex('fetch_history_started_idx').on('fetch_history').column('started_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['fetch_history', 'topics', 'items', 'clusters', 'sources']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
