// Read-only queries for the public story API: clusters with their items, and items on their own.
// Lists page by keyset (never offset), so a page boundary stays put while new items arrive.
import type { TopicQuery } from '../../src/topics/query.js';
import { itemMatchesTopic } from '../../src/topics/query-sql.js';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { ClusterRow, Database, ItemRow } from '../schema.js';

/**
 * A keyset position: the sort timestamp as text with full (microsecond) precision, and the id.
 * The timestamp is rendered by PostgreSQL so that it compares exactly equal when read back;
 * a JavaScript Date would drop the microseconds of now()-stamped rows.
 */
export interface Keyset {
  at: string | null;
  id: string;
}

/** The textual timestamp format of keysets: UTC, microseconds, ISO 8601. */
const keysetText = (column: Expression<Date | null>) => sql<string | null>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Full-text match on items.search. The generated vector is built with the item's language
 * configuration (english for English or unknown, russian, else simple), so the query is parsed
 * with each of them: an English plural or a Russian case ending still matches its stem, and a
 * query of English stop words still matches through the simple configuration.
 */
function textMatch(q: string): Expression<SqlBool> {
  return sql<SqlBool>`(items.search @@ websearch_to_tsquery('simple', ${q})
    or items.search @@ websearch_to_tsquery('english', ${q})
    or items.search @@ websearch_to_tsquery('russian', ${q}))`;
}

export interface ClusterFilter {
  q?: string | null;
  /** Clusters with at least one item matching this topic query. */
  topic?: TopicQuery | null;
  /** Clusters active at or after this time (last_published_at >= since). */
  since?: Date | null;
  /** Clusters that began at or before this time (first_published_at <= until). */
  until?: Date | null;
  minItems?: number | null;
  minSources?: number | null;
  /** Continue after this position (from the previous page's last row). */
  after?: Keyset | null;
  limit: number;
}

export type ClusterListRow = ClusterRow & { keyset_at: string | null };

/** Clusters, newest activity first (last_published_at desc nulls last, id desc); merged ones left out. */
export async function listClusters(db: Kysely<Database>, filter: ClusterFilter): Promise<ClusterListRow[]> {
  let query = db
    .selectFrom('clusters')
    .selectAll('clusters')
    .select(keysetText(sql.ref('clusters.last_published_at')).as('keyset_at'))
    .where('clusters.status', '<>', 'merged');
  if (filter.since) query = query.where('clusters.last_published_at', '>=', filter.since);
  if (filter.until) query = query.where('clusters.first_published_at', '<=', filter.until);
  if (filter.minItems) query = query.where('clusters.item_count', '>=', filter.minItems);
  if (filter.minSources) query = query.where('clusters.source_count', '>=', filter.minSources);
  const q = filter.q;
  if (q) {
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('items').select(sql`1`.as('one')).whereRef('items.cluster_id', '=', 'clusters.id').where(textMatch(q))),
    );
  }
  const topic = filter.topic;
  if (topic) {
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('items').select(sql`1`.as('one')).whereRef('items.cluster_id', '=', 'clusters.id').where(itemMatchesTopic(topic))),
    );
  }
  const after = filter.after;
  if (after) {
    query = query.where(
      after.at === null
        ? sql<SqlBool>`(clusters.last_published_at is null and clusters.id < ${after.id}::bigint)`
        : sql<SqlBool>`(clusters.last_published_at < ${after.at}::timestamptz
            or (clusters.last_published_at = ${after.at}::timestamptz and clusters.id < ${after.id}::bigint)
            or clusters.last_published_at is null)`,
    );
  }
  return query
    .orderBy(sql`clusters.last_published_at desc nulls last`)
    .orderBy('clusters.id', 'desc')
    .limit(filter.limit)
    .execute();
}

/** One cluster by id, whatever its status; null when there is none (or the id is not a number). */
export async function getCluster(db: Kysely<Database>, id: string): Promise<ClusterRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return (await db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export type StoryItemRow = Omit<ItemRow, 'search' | 'minhash' | 'content' | 'enclosures' | 'categories'> & {
  source_title: string | null;
  source_url: string;
  keyset_at: string;
};

const itemAt = sql<Date>`coalesce(items.published_at, items.fetched_at)`;

function itemsWithSources(db: Kysely<Database>) {
  return db
    .selectFrom('items')
    .innerJoin('sources', 'sources.id', 'items.source_id')
    .select([
      'items.id',
      'items.source_id',
      'items.guid',
      'items.url',
      'items.canonical_url',
      'items.title',
      'items.summary',
      'items.author',
      'items.lang',
      'items.published_at',
      'items.updated_at',
      'items.fetched_at',
      'items.content_hash',
      'items.duplicate_of',
      'items.duplicate_reason',
      'items.duplicate_similarity',
      'items.cluster_id',
      'items.cluster_similarity',
      'items.cluster_reason',
      'sources.title as source_title',
      'sources.url as source_url',
    ])
    .select(keysetText(itemAt).$notNull().as('keyset_at'));
}

/** The items of several clusters in one query, each cluster's in published order (oldest first). */
export async function itemsOfClusters(db: Kysely<Database>, clusterIds: string[]): Promise<StoryItemRow[]> {
  if (clusterIds.length === 0) return [];
  return itemsWithSources(db)
    .where(sql<SqlBool>`items.cluster_id = any(${sql.val(clusterIds)}::bigint[])`)
    .orderBy(itemAt)
    .orderBy('items.id')
    .execute();
}

export interface ItemFilter {
  q?: string | null;
  sourceId?: string | null;
  clusterId?: string | null;
  /** Items published (else fetched) at or after this time. */
  since?: Date | null;
  after?: Keyset | null;
  limit: number;
}

/** Items, newest first by (coalesce(published_at, fetched_at) desc, id desc). */
export async function listItems(db: Kysely<Database>, filter: ItemFilter): Promise<StoryItemRow[]> {
  let query = itemsWithSources(db);
  if (filter.sourceId) query = query.where('items.source_id', '=', filter.sourceId);
  if (filter.clusterId) query = query.where('items.cluster_id', '=', filter.clusterId);
  if (filter.since) query = query.where(itemAt, '>=', filter.since);
  if (filter.q) query = query.where(textMatch(filter.q));
  // coalesce(published_at, fetched_at) is never null: fetched_at is not null.
  if (filter.after) {
    query = query.where(sql<SqlBool>`(${itemAt}, items.id) < (${filter.after.at}::timestamptz, ${filter.after.id}::bigint)`);
  }
  return query
    .orderBy(sql`coalesce(items.published_at, items.fetched_at) desc`)
    .orderBy('items.id', 'desc')
    .limit(filter.limit)
    .execute();
}
