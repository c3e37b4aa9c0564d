// Queries on the items table: storing polled items, reading them for clustering and for the API,
// and deleting them. Storing is idempotent by (source, guid): a re-run of the same poll inserts
// nothing new, and an item whose text changed is updated in place (never duplicated). Deleting
// hands a removed original's place to its earliest surviving copy; what that means for stories
// is src/stories' business, which is the only caller.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Executor } from '../executor.js';
import type { Database, ItemRow, NewItem } from '../schema.js';
import { changeLogHead } from './change-log.js';
import { itemAt, keysetText, textMatch, type Keyset } from './listing.js';

export interface UpsertResult {
  inserted: string[];
  updated: string[];
  /** The inserted rows with their guids and publication (else fetch) times, for deduplication. */
  insertedRows: Array<{ id: string; guid: string; at: Date }>;
}

// Each row binds ~16 parameters; PostgreSQL allows 65,535 per statement.
const CHUNK = 500;

export async function upsertItems(db: Executor, rows: NewItem[]): Promise<UpsertResult> {
  const result: UpsertResult = { inserted: [], updated: [], insertedRows: [] };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const returned = await db
      .insertInto('items')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['source_id', 'guid'])
          .doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            canonical_url: eb.ref('excluded.canonical_url'),
            title: eb.ref('excluded.title'),
            summary: eb.ref('excluded.summary'),
            content: eb.ref('excluded.content'),
            author: eb.ref('excluded.author'),
            lang: eb.ref('excluded.lang'),
            enclosures: sql<string>`excluded.enclosures`,
            categories: sql<string>`excluded.categories`,
            updated_at: eb.ref('excluded.updated_at'),
            content_hash: eb.ref('excluded.content_hash'),
            minhash: sql<number[]>`excluded.minhash`,
            // published_at is kept: publishers that re-date items must not move them.
          }))
          // Unchanged items are not rewritten (and not reported as updated).
          .where((eb) => eb('items.content_hash', 'is distinct from', eb.ref('excluded.content_hash'))),
      )
      // xmax = 0 only for a freshly inserted row version: tells inserts from updates in one statement.
      .returning(['id', 'guid', sql<Date>`coalesce(published_at, fetched_at)`.as('at'), sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const { id, guid, at, inserted } of returned) {
      if (inserted) {
        result.inserted.push(id);
        result.insertedRows.push({ id, guid, at });
      } else {
        result.updated.push(id);
      }
    }
  }
  return result;
}

/** Items the source published since `since` (its posting rate, for the adaptive interval). */
export async function countItemsSince(db: Executor, sourceId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('items')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('source_id', '=', sourceId)
    .where('published_at', '>=', since)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** An article as clustering sees it. */
export interface ArticleRow {
  id: string;
  title: string | null;
  /** Sanitized HTML (summary, else content). */
  body: string | null;
  lang: string | null;
  at: Date;
  cluster_id: string | null;
  duplicate_of: string | null;
}

const ARTICLE_COLUMNS = sql`items.id, items.title, coalesce(items.summary, items.content) as body, items.lang,
  coalesce(items.published_at, items.fetched_at) as at, items.cluster_id, items.duplicate_of`;

/** The batch in publication order. */
export async function readArticles(db: Executor, ids: string[]): Promise<ArticleRow[]> {
  const { rows } = await sql<ArticleRow>`/* prepared:cluster-batch */
    select ${ARTICLE_COLUMNS} from items where items.id = any(${ids}::bigint[])
    order by coalesce(items.published_at, items.fetched_at), items.id
  `.execute(db);
  return rows;
}

/** Originals (not copies) placed in stories, published at or after `since`, and the change log's head. */
export async function readRecentArticles(db: Executor, since: Date): Promise<{ articles: ArticleRow[]; seq: string }> {
  const { rows } = await sql<ArticleRow>`
    select ${ARTICLE_COLUMNS} from items
    where coalesce(items.published_at, items.fetched_at) >= ${since} and items.cluster_id is not null and items.duplicate_of is null
    order by coalesce(items.published_at, items.fetched_at), items.id
  `.execute(db);
  return { articles: rows, seq: await changeLogHead(db) };
}

/** Originals other workers placed since `seenSeq` (see the change log), and the log's head. */
export async function readPlacedSince(db: Executor, seenSeq: string, exclude: string[]): Promise<{ articles: ArticleRow[]; seq: string }> {
  const { rows } = await sql<ArticleRow & { seq: string }>`/* prepared:cluster-news */
    select ${ARTICLE_COLUMNS}, dedup_log.seq from dedup_log join items on items.id = dedup_log.item_id
    where dedup_log.seq > ${seenSeq}::bigint and items.cluster_id is not null and items.duplicate_of is null
      and not (items.id = any(${exclude}::bigint[]))
    order by dedup_log.seq
  `.execute(db);
  return { articles: rows, seq: await changeLogHead(db, seenSeq) };
}

/** The originals of these stories, in publication order: what a story is labelled from. */
export async function articlesOfStories(db: Executor, storyIds: string[]): Promise<ArticleRow[]> {
  if (storyIds.length === 0) return [];
  const { rows } = await sql<ArticleRow>`
    select ${ARTICLE_COLUMNS} from items
    where items.cluster_id = any(${storyIds}::bigint[]) and items.duplicate_of is null
    order by coalesce(items.published_at, items.fetched_at), items.id
  `.execute(db);
  return rows;
}

/** Up to `limit` ids of items older than `before` (by publication, else fetch time). */
export async function itemIdsBefore(db: Executor, before: Date, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('items').select('id').where(itemAt, '<', before).limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Up to `limit` ids of one source's items. */
export async function itemIdsOfSource(db: Executor, sourceId: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('items').select('id').where('source_id', '=', sourceId).limit(limit).execute();
  return rows.map((r) => r.id);
}

/**
 * Deletes these items and returns the stories they were in. A deleted original's earliest
 * surviving copy becomes the original in its place (for the reason the original was in its story),
 * and the other copies point at it: left to the foreign key, every copy would turn into an
 * original of its own and "also reported by" would fall apart.
 */
export async function deleteItems(db: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  await sql`
    with heirs as (
      select distinct on (c.duplicate_of) c.duplicate_of as old, c.id as heir
      from items c
      where c.duplicate_of = any(${ids}::bigint[]) and not (c.id = any(${ids}::bigint[]))
      order by c.duplicate_of, coalesce(c.published_at, c.fetched_at), c.id
    ), repointed as (
      update items c set duplicate_of = h.heir
      from heirs h
      where c.duplicate_of = h.old and c.id <> h.heir and not (c.id = any(${ids}::bigint[]))
      returning c.id
    )
    update items c
    set duplicate_of = null, duplicate_reason = null, duplicate_similarity = null,
        cluster_reason = o.cluster_reason, cluster_similarity = o.cluster_similarity
    from heirs h join items o on o.id = h.old
    where c.id = h.heir and (select count(*) from repointed) >= 0
  `.execute(db);
  const { rows } = await sql<{ cluster_id: string | null }>`
    delete from items where id = any(${ids}::bigint[]) returning cluster_id::text
  `.execute(db);
  return [...new Set(rows.map((r) => r.cluster_id).filter((id): id is string => id !== null))];
}

export type StoryItemRow = Omit<ItemRow, 'search' | 'minhash' | 'content' | 'enclosures' | 'categories'> & {
  source_title: string | null;
  source_url: string;
  keyset_at: string;
};

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
  if (filter.after) {
    query = query.where(sql<SqlBool>`(${itemAt}, items.id) < (${filter.after.at}::timestamptz, ${filter.after.id}::bigint)`);
  }
  return query
    .orderBy(sql`coalesce(items.published_at, items.fetched_at) desc`)
    .orderBy('items.id', 'desc')
    .limit(filter.limit)
    .execute();
}
