// Queries for the clustering step (src/cluster/clusterer.ts): reading articles to cluster or to
// rebuild the story index from, and writing placements, new stories, labels and terms in a few
// set-based statements per batch.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

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

/** Originals (not copies) placed in stories, published at or after `since`: the index's contents. */
export async function readRecentArticles(db: Executor, since: Date): Promise<{ articles: ArticleRow[]; seq: string }> {
  const { rows } = await sql<ArticleRow>`
    select ${ARTICLE_COLUMNS} from items
    where coalesce(items.published_at, items.fetched_at) >= ${since} and items.cluster_id is not null and items.duplicate_of is null
    order by coalesce(items.published_at, items.fetched_at), items.id
  `.execute(db);
  const { rows: top } = await sql<{ seq: string | null }>`select max(seq)::text as seq from dedup_log`.execute(db);
  return { articles: rows, seq: top[0]?.seq ?? '0' };
}

/** Originals other workers placed since `seenSeq` (see dedup_log), and the log's highest number. */
export async function readPlacedSince(db: Executor, seenSeq: string, exclude: string[]): Promise<{ articles: ArticleRow[]; seq: string }> {
  const { rows } = await sql<ArticleRow & { seq: string }>`/* prepared:cluster-news */
    select ${ARTICLE_COLUMNS}, dedup_log.seq from dedup_log join items on items.id = dedup_log.item_id
    where dedup_log.seq > ${seenSeq}::bigint and items.cluster_id is not null and items.duplicate_of is null
      and not (items.id = any(${exclude}::bigint[]))
    order by dedup_log.seq
  `.execute(db);
  const { rows: top } = await sql<{ seq: string | null }>`select max(seq)::text as seq from dedup_log`.execute(db);
  return { articles: rows, seq: top[0]?.seq ?? seenSeq };
}

/** `n` new story ids, drawn from the clusters sequence up front. */
export async function newStoryIds(db: Executor, n: number): Promise<string[]> {
  if (n === 0) return [];
  const { rows } = await sql<{ id: string }>`/* prepared:cluster-ids */
    select nextval(pg_get_serial_sequence('clusters', 'id'))::text as id from generate_series(1, ${n}::int)
  `.execute(db);
  return rows.map((r) => r.id);
}

export interface Placement {
  itemId: string;
  clusterId: string;
  similarity: number | null;
  reason: Record<string, unknown>;
}

export interface StoryDescription {
  id: string;
  label: string | null;
  terms: string[];
  /** True for a story this batch opened. */
  isNew: boolean;
}

/** Creates the new stories, places the items and sets labels and terms, in one statement. */
export async function writePlacements(db: Executor, placements: Placement[], stories: StoryDescription[]): Promise<void> {
  if (placements.length === 0 && stories.length === 0) return;
  const fresh = stories.filter((s) => s.isNew);
  const known = stories.filter((s) => !s.isNew);
  await sql`/* prepared:cluster-write */
    with opened as (
      insert into clusters (id, label, terms)
      select id, label, terms::jsonb
      from unnest(${fresh.map((s) => s.id)}::bigint[], ${fresh.map((s) => s.label)}::text[], ${fresh.map((s) => JSON.stringify(s.terms))}::text[])
        as v(id, label, terms)
      returning id
    ), relabelled as (
      update clusters c set label = v.label, terms = v.terms::jsonb
      from unnest(${known.map((s) => s.id)}::bigint[], ${known.map((s) => s.label)}::text[], ${known.map((s) => JSON.stringify(s.terms))}::text[])
        as v(id, label, terms)
      where c.id = v.id
      returning c.id
    )
    update items i
    set cluster_id = v.cluster_id, cluster_similarity = v.similarity, cluster_reason = v.reason::jsonb
    from unnest(${placements.map((p) => p.itemId)}::bigint[], ${placements.map((p) => p.clusterId)}::bigint[],
                ${placements.map((p) => p.similarity)}::real[], ${placements.map((p) => JSON.stringify(p.reason))}::text[])
      as v(id, cluster_id, similarity, reason)
    where i.id = v.id
  `.execute(db);
}

/**
 * Merges story `from` into `into`: its items move, and it stays as a `merged` row pointing at
 * `into`, so its id keeps answering (the API redirects). Stories merged into it earlier follow.
 */
export async function mergeStories(db: Executor, from: string, into: string): Promise<void> {
  await sql`
    with moved as (
      update items set cluster_id = ${into} where cluster_id = ${from} returning id
    ), repointed as (
      update clusters set merged_into = ${into} where merged_into = ${from} returning id
    )
    update clusters set status = 'merged', merged_into = ${into}, item_count = 0, source_count = 0, updated_at = now()
    where id = ${from}
  `.execute(db);
}

/**
 * Splits an over-grown story: the given items (and their copies) move to a new story, labelled
 * after the earliest of them. Returns the new story's id, or null when none of the items is in
 * the story. Counts of both stories are the caller's to refresh.
 */
export async function splitStory(db: Executor, storyId: string, itemIds: string[]): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    with chosen as (
      select id, title, coalesce(published_at, fetched_at) as at from items
      where cluster_id = ${storyId} and (id = any(${itemIds}::bigint[]) or duplicate_of = any(${itemIds}::bigint[]))
    ), fresh as (
      insert into clusters (label, terms)
      select (select title from chosen where title is not null order by at, id limit 1), '[]'::jsonb
      where exists (select 1 from chosen)
      returning id
    ), moved as (
      update items set cluster_id = (select id from fresh),
        cluster_reason = jsonb_build_object('reason', 'split', 'from', ${storyId}::text), cluster_similarity = null
      where id in (select id from chosen)
      returning id
    )
    select id::text from fresh where (select count(*) from moved) >= 0
  `.execute(db);
  return rows[0]?.id ?? null;
}

/** Marks stories without an article for `idleHours` as closed: no new article is placed in them. */
export async function closeIdleStories(db: Executor, idleHours: number, now: Date = new Date()): Promise<number> {
  const result = await db
    .updateTable('clusters')
    .set({ status: 'closed' })
    .where('status', '=', 'open')
    .where('last_published_at', '<', new Date(now.getTime() - idleHours * 3_600_000))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
