// Queries on the clusters table (stories) and on items' places in them. src/stories is the only
// caller that changes a story: it runs these in the order that keeps a story's stored counts,
// label and terms true (see src/stories/story-store.ts).
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../executor.js';
import type { ClusterRow, Database } from '../schema.js';
import { keysetText, textMatch, type Keyset } from './listing.js';

export type { Keyset } from './listing.js';

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
}

/** Where a batch's items went. */
export interface Placed {
  /** Stories that gained items. */
  stories: string[];
  /** Items not placed: their story is gone (deleted meanwhile); they are left without one. */
  missed: string[];
}

/**
 * Creates the stories in `fresh` (ids from newStoryIds), places the items, and sets the labels and
 * terms of every described story, in one statement. A worker's index can be behind the database:
 * an item placed in a story merged away meanwhile goes to the story it was merged into, and one
 * placed in a story deleted meanwhile is left without a story (and reported).
 */
export async function writePlacements(db: Executor, placements: Placement[], described: StoryDescription[], fresh: ReadonlySet<string>): Promise<Placed> {
  if (placements.length === 0 && described.length === 0) return { stories: [], missed: [] };
  const opened = described.filter((s) => fresh.has(s.id));
  const known = described.filter((s) => !fresh.has(s.id));
  const { rows } = await sql<{ id: string; cluster_id: string }>`/* prepared:cluster-write */
    with opened as (
      insert into clusters (id, label, terms)
      select id, label, terms::jsonb
      from unnest(${opened.map((s) => s.id)}::bigint[], ${opened.map((s) => s.label)}::text[], ${opened.map((s) => JSON.stringify(s.terms))}::text[])
        as v(id, label, terms)
      returning id
    ), relabelled as (
      -- A story whose articles have no headline left keeps the label it had.
      update clusters c set label = coalesce(v.label, c.label), terms = v.terms::jsonb
      from unnest(${known.map((s) => s.id)}::bigint[], ${known.map((s) => s.label)}::text[], ${known.map((s) => JSON.stringify(s.terms))}::text[])
        as v(id, label, terms)
      where c.id = v.id
      returning c.id
    )
    update items i
    set cluster_id = case when c.status = 'merged' then c.merged_into else v.cluster_id end,
        cluster_similarity = v.similarity, cluster_reason = v.reason::jsonb
    from unnest(${placements.map((p) => p.itemId)}::bigint[], ${placements.map((p) => p.clusterId)}::bigint[],
                ${placements.map((p) => p.similarity)}::real[], ${placements.map((p) => JSON.stringify(p.reason))}::text[])
      as v(id, cluster_id, similarity, reason)
      left join clusters c on c.id = v.cluster_id
    where i.id = v.id
      -- A story opened by this statement is not visible to the join yet.
      and (c.id is not null or v.cluster_id = any(${[...fresh]}::bigint[]))
      and (c.status is distinct from 'merged' or c.merged_into is not null)
    returning i.id::text, i.cluster_id::text
  `.execute(db);
  const placed = new Set(rows.map((r) => r.id));
  return { stories: [...new Set(rows.map((r) => r.cluster_id))], missed: placements.map((p) => p.itemId).filter((id) => !placed.has(id)) };
}

/** Sets labels and terms. */
export async function describeStories(db: Executor, described: StoryDescription[]): Promise<void> {
  if (described.length > 0) await writePlacements(db, [], described, new Set());
}

/**
 * Gives each of these items that is still without a story a story of its own — but a copy whose
 * original is among them joins the original's new story — and returns the stories opened. One
 * statement: the ids are drawn from the sequence up front so the stories and the items' links to
 * them are written together.
 */
export async function openSingletonStories(db: Executor, itemIds: string[]): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const { rows } = await sql<{ cluster_id: string; opened: boolean }>`/* prepared:story-singletons */
    with orphans as (
      select id, duplicate_of, coalesce(title, url) as label from items
      where id = any(${sql.val(itemIds)}::bigint[]) and cluster_id is null
    ), heads as (
      select id, label, nextval(pg_get_serial_sequence('clusters', 'id')) as cluster_id from orphans
      where duplicate_of is null or duplicate_of not in (select id from orphans)
    ), opened as (
      insert into clusters (id, label) select cluster_id, label from heads returning id
    )
    update items i
    set cluster_id = coalesce(h.cluster_id, o.cluster_id),
        cluster_reason = case when h.id is not null then '{"reason":"new story"}'::jsonb else i.cluster_reason end
    from orphans
      left join heads h on h.id = orphans.id
      left join heads o on o.id = orphans.duplicate_of
    where i.id = orphans.id
    returning i.cluster_id::text, (h.id is not null) as opened
  `.execute(db);
  return [...new Set(rows.filter((r) => r.opened).map((r) => r.cluster_id))];
}

/**
 * Copies follow their originals: each of these items that is a copy moves to its original's story,
 * and an original without a story (one that just took a group over from an older original, see
 * dedup) takes the story of its copies. Returns the stories that gained items.
 */
export async function joinOriginalStories(db: Executor, itemIds: string[]): Promise<string[]> {
  if (itemIds.length === 0) return [];
  // Two updates of disjoint rows (originals without a story, copies) in one statement.
  const { rows } = await sql<{ cluster_id: string }>`/* prepared:story-join */
    with adopted as (
      update items o set cluster_id = c.cluster_id, cluster_reason = c.cluster_reason, cluster_similarity = c.cluster_similarity
      from (
        select distinct on (duplicate_of) duplicate_of, cluster_id, cluster_reason, cluster_similarity from items
        where duplicate_of = any(${sql.val(itemIds)}::bigint[]) and cluster_id is not null
        order by duplicate_of, coalesce(published_at, fetched_at), id
      ) c
      where o.id = c.duplicate_of and o.cluster_id is null and o.duplicate_of is null
      returning o.cluster_id
    ), joined as (
      update items d set cluster_id = o.cluster_id
      from items o
      where d.id = any(${sql.val(itemIds)}::bigint[]) and d.duplicate_of = o.id and o.cluster_id is not null
        and d.cluster_id is distinct from o.cluster_id
      returning d.cluster_id
    )
    select distinct cluster_id::text from (select cluster_id from adopted union all select cluster_id from joined) t
  `.execute(db);
  return rows.map((r) => r.cluster_id);
}

/**
 * Makes the stored counts and time span of these stories equal a recount of their items. A story
 * left without items is closed (not listed, not published, nothing placed in it); an emptied story
 * that gains items again (a worker's index placing into it before it heard) is open again.
 * Merged stories hold no items and keep their zero counts. Returns the ids that are now empty.
 */
export async function recountStories(db: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string; item_count: number }>`/* prepared:story-recount */
    update clusters c
    set item_count = coalesce(s.items, 0), source_count = coalesce(s.sources, 0),
        first_published_at = s.first_at, last_published_at = s.last_at, updated_at = now(),
        status = case
          when c.status = 'merged' then c.status
          when s.items is null then 'closed'
          when c.item_count = 0 and c.status = 'closed' then 'open'
          else c.status end
    from unnest(${sql.val(ids)}::bigint[]) as t(id)
    left join (
      select cluster_id, count(*)::int as items, count(distinct source_id)::int as sources,
             min(coalesce(published_at, fetched_at)) as first_at, max(coalesce(published_at, fetched_at)) as last_at
      from items where cluster_id = any(${sql.val(ids)}::bigint[]) group by cluster_id
    ) s on s.cluster_id = t.id
    where c.id = t.id
    returning c.id::text, c.item_count
  `.execute(db);
  return rows.filter((r) => r.item_count === 0).map((r) => r.id);
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
    update clusters set status = 'merged', merged_into = ${into}, item_count = 0, source_count = 0,
      first_published_at = null, last_published_at = null, updated_at = now()
    where id = ${from}
  `.execute(db);
}

/**
 * Moves the given items of a story, and their copies, to a new story. A chosen copy whose original
 * stays behind becomes an original in the new story: it is a report of the other story now.
 * Returns the new story's id, or null when none of the items is in the story.
 */
export async function moveToNewStory(db: Executor, storyId: string, itemIds: string[]): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    with chosen as (
      select id from items
      where cluster_id = ${storyId} and (id = any(${itemIds}::bigint[]) or duplicate_of = any(${itemIds}::bigint[]))
    ), fresh as (
      insert into clusters (label) select null where exists (select 1 from chosen) returning id
    ), moved as (
      update items i set cluster_id = (select id from fresh),
        cluster_reason = jsonb_build_object('reason', 'split', 'from', ${storyId}::text), cluster_similarity = null,
        duplicate_of = case when i.duplicate_of in (select id from chosen) then i.duplicate_of else null end,
        duplicate_reason = case when i.duplicate_of in (select id from chosen) then i.duplicate_reason else null end,
        duplicate_similarity = case when i.duplicate_of in (select id from chosen) then i.duplicate_similarity else null end
      where i.id in (select id from chosen)
      returning i.id
    )
    select id::text from fresh where (select count(*) from moved) >= 0
  `.execute(db);
  return rows[0]?.id ?? null;
}

/** Marks open stories without an article for `idleHours` as closed: no new article is placed in them. */
export async function closeIdleStories(db: Executor, idleHours: number, now: Date = new Date()): Promise<number> {
  const result = await db
    .updateTable('clusters')
    .set({ status: 'closed' })
    .where('status', '=', 'open')
    .where('last_published_at', '<', new Date(now.getTime() - idleHours * 3_600_000))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Deletes up to `limit` stories that hold no items; a merged-away id is kept while its target
 * lives, so that it keeps redirecting. Returns how many.
 */
export async function deleteEmptyStories(db: Executor, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('clusters')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('clusters as c')
        .select('c.id')
        .where((w) => w.not(w.exists(w.selectFrom('items').select('items.id').whereRef('items.cluster_id', '=', 'c.id'))))
        .where((w) => w.or([w('c.merged_into', 'is', null), w('c.status', '<>', 'merged')]))
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface ClusterFilter {
  q?: string | null;
  /** Clusters with at least one item meeting this condition on an `items` row (a topic query). */
  matching?: RawBuilder<SqlBool> | null;
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

/** Stories with items, newest activity first (last_published_at desc nulls last, id desc). */
export async function listClusters(db: Kysely<Database>, filter: ClusterFilter): Promise<ClusterListRow[]> {
  let query = db
    .selectFrom('clusters')
    .selectAll('clusters')
    .select(keysetText(sql.ref('clusters.last_published_at')).as('keyset_at'))
    .where('clusters.status', '<>', 'merged')
    .where('clusters.item_count', '>', 0);
  if (filter.since) query = query.where('clusters.last_published_at', '>=', filter.since);
  if (filter.until) query = query.where('clusters.first_published_at', '<=', filter.until);
  if (filter.minItems) query = query.where('clusters.item_count', '>=', filter.minItems);
  if (filter.minSources) query = query.where('clusters.source_count', '>=', filter.minSources);
  for (const condition of [filter.q ? textMatch(filter.q) : null, filter.matching ?? null]) {
    if (!condition) continue;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('items').select(sql`1`.as('one')).whereRef('items.cluster_id', '=', 'clusters.id').where(condition)),
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
export async function getCluster(db: Executor, id: string): Promise<ClusterRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return (await db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}
