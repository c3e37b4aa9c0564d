// The one way a story changes. Opening, placing, merging, splitting, closing, pruning, removing a
// source's items, recounting and relabelling all live here, and each ends by settling the stories
// it touched: their stored counts and time span are recounted from their items, a story left
// empty is closed (no longer listed or published), and a story that lost articles is described
// again from those it kept. Callers never adjust a story's rows themselves, so counts, labels,
// terms and copies' links are right by construction rather than by every caller remembering.
//
// Story writers go one at a time. A recount reads a story's items in its statement's snapshot: a
// removal recounting beside a poll that places into the same story would each count without the
// other's rows (and a split and a merge lock items and stories in opposite orders). So every
// change runs in a transaction that first takes the story lock — the dedup lock the store step
// already serializes on, taken before anything else, so that all writers take their locks in one
// order. The store step takes it itself (lockStories); every other entry point here takes it.
import type { Executor } from '../../db/executor.js';
import { takeDedupLock } from '../../db/queries/duplicates.js';
import * as items from '../../db/queries/items.js';
import * as stories from '../../db/queries/stories.js';
import type { Placement, StoryDescription } from '../../db/queries/stories.js';
import { describeArticles, describedArticle } from '../cluster/describe.js';
import type { StoryWrites } from '../cluster/clusterer.js';

/** Rows deleted per statement: each batch is short, so pollers and the API never wait long. */
const DELETE_BATCH = 500;

/** Takes the story lock until the transaction `db` belongs to ends (its own statement: later ones see what others committed). */
export const lockStories = (db: Executor): Promise<void> => takeDedupLock(db);

/** Runs `work` holding the story lock: in the caller's transaction, or in one of its own. */
async function locked<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) {
    await lockStories(db);
    return work(db);
  }
  return db.transaction().execute(async (trx) => {
    await lockStories(trx);
    return work(trx);
  });
}

/** Recounts these stories and closes the empty ones; describes again those in `relabel` that kept items. */
async function settleLocked(db: Executor, touched: Iterable<string>, relabel: Iterable<string> = []): Promise<void> {
  const empty = new Set(await stories.recountStories(db, [...new Set(touched)]));
  const again = [...new Set(relabel)].filter((id) => !empty.has(id));
  if (again.length === 0) return;
  const byStory = new Map<string, ReturnType<typeof describedArticle>[]>(again.map((id) => [id, []]));
  for (const row of await items.articlesOfStories(db, again)) byStory.get(String(row.cluster_id))?.push(describedArticle(row));
  const described: StoryDescription[] = [];
  for (const [id, articles] of byStory) if (articles.length > 0) described.push({ id, ...describeArticles(articles) });
  await stories.describeStories(db, described);
}

/** Recounts stories and closes the empty ones; those in `relabel` that kept items are described again. */
export function settle(db: Executor, touched: Iterable<string>, relabel: Iterable<string> = []): Promise<void> {
  return locked(db, (trx) => settleLocked(trx, touched, relabel));
}

/** Recounts stories from their items (and closes the empty ones). */
export function recount(db: Executor, ids: Iterable<string>): Promise<void> {
  return settle(db, ids);
}

/**
 * Merges `from` into `into` as the database has them now: false (nothing done) when either is
 * gone or merged away already, or they are one story — a worker's index can be behind.
 */
async function mergeLocked(db: Executor, from: string, into: string, described: StoryDescription | null): Promise<boolean> {
  if (from === into) return false;
  const [source, target] = [await stories.getCluster(db, from), await stories.getCluster(db, into)];
  if (!source || !target || source.status === 'merged' || target.status === 'merged') return false;
  await stories.mergeStories(db, from, into);
  if (described) await stories.describeStories(db, [described]);
  await settleLocked(db, [into], described ? [] : [into]);
  return true;
}

/**
 * Placement as the clusterer asks for it. These run inside the store step's transaction, which
 * holds the story lock already (storeItems takes it first).
 */
export const storyWrites: StoryWrites = {
  newStoryIds: stories.newStoryIds,
  async place(db: Executor, placements: Placement[], described: StoryDescription[], fresh: ReadonlySet<string>) {
    const placed = await stories.writePlacements(db, placements, described, fresh);
    await settleLocked(db, [...placed.stories, ...described.map((d) => d.id)]);
    return placed.missed;
  },
  merge: (db: Executor, from: string, into: string, described: StoryDescription) => mergeLocked(db, from, into, described),
};

/** Before clustering a stored batch: originals that took a group over keep the group's story (see dedup). */
export async function keepTakenOverStories(db: Executor, itemIds: string[]): Promise<void> {
  await settleLocked(db, await stories.joinOriginalStories(db, itemIds));
}

/**
 * After dedup and clustering of a stored batch: copies join their originals' stories, and what is
 * still without a story opens one of its own (a copy with its original), so that every item is in
 * exactly one story. Returns the stories opened.
 */
export async function placeRemaining(db: Executor, itemIds: string[]): Promise<number> {
  const joined = await stories.joinOriginalStories(db, itemIds);
  const opened = await stories.openSingletonStories(db, itemIds);
  await settleLocked(db, [...joined, ...opened], opened);
  return opened.length;
}

/**
 * Splits an over-grown story: the given items and their copies become a story of their own. Both
 * stories are described again from what they hold. Returns the new story's id, or null when none
 * of the items is in the story.
 */
export function split(db: Executor, storyId: string, itemIds: string[]): Promise<string | null> {
  return locked(db, async (trx) => {
    const fresh = await stories.moveToNewStory(trx, storyId, itemIds);
    if (fresh) await settleLocked(trx, [storyId, fresh], [storyId, fresh]);
    return fresh;
  });
}

/** Merges story `from` into `into` (by convention the older id survives); false when that is not possible. */
export function merge(db: Executor, from: string, into: string): Promise<boolean> {
  return locked(db, (trx) => mergeLocked(trx, from, into, null));
}

/** Closes open stories no article joined for `idleHours`. */
export function closeIdle(db: Executor, idleHours: number, now: Date = new Date()): Promise<number> {
  return locked(db, (trx) => stories.closeIdleStories(trx, idleHours, now));
}

/** Deletes items, handing a deleted original's place to its earliest copy; their stories settle. */
async function deleteItemsLocked(db: Executor, ids: string[]): Promise<number> {
  const touched = await items.deleteItems(db, ids);
  await settleLocked(db, touched, touched);
  return ids.length;
}

/** Deletes one batch of items older than `before`; 0 when none is left. Each batch is its own short transaction. */
export function pruneBatch(db: Executor, before: Date, limit = DELETE_BATCH): Promise<number> {
  return locked(db, async (trx) => deleteItemsLocked(trx, await items.itemIdsBefore(trx, before, limit)));
}

/**
 * Deletes every item of a source; returns how many. In the caller's transaction, which should go
 * on to delete the source: the lock keeps a poll of it from storing items meanwhile.
 */
export function deleteItemsOfSource(db: Executor, sourceId: string): Promise<number> {
  return locked(db, async (trx) => {
    let total = 0;
    for (;;) {
      const ids = await items.itemIdsOfSource(trx, sourceId, DELETE_BATCH);
      if (ids.length === 0) return total;
      total += await deleteItemsLocked(trx, ids);
    }
  });
}

/** Deletes one batch of stories that hold nothing (merged-away ids whose target lives are kept). */
export function deleteEmptyBatch(db: Executor, limit = DELETE_BATCH): Promise<number> {
  return locked(db, (trx) => stories.deleteEmptyStories(trx, limit));
}
