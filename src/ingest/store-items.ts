// Storing a feed's items: the one sequence every new item goes through, for polled feeds and for
// `feedloom eval clusters` alike. Upsert by (source, guid); new items are deduplicated first (a
// copy joins its original's story), originals are placed in stories, and whatever is still without
// a story (a copy whose original has none) opens its own, so every item is in exactly one story.
// Every step that changes a story goes through src/stories, which keeps its counts true.
import type { Executor } from '../../db/executor.js';
import { upsertItems, type UpsertResult } from '../../db/queries/items.js';
import type { NewItem } from '../../db/schema.js';
import type { Clusterer } from '../cluster/clusterer.js';
import type { Deduplicator } from '../dedup/dedup.js';
import { noticeOtherProcesses } from '../publish/story-changes.js';
import { keepTakenOverStories, lockStories, placeRemaining } from '../stories/story-store.js';

export interface StoreOutcome {
  stored: UpsertResult;
  duplicates: number;
  /** Stories opened. */
  clusters: number;
}

/** Runs inside the caller's transaction. */
export async function storeItems(db: Executor, rows: NewItem[], deduplicator: Deduplicator, clusterer: Clusterer): Promise<StoreOutcome> {
  // First, before any row is written: story writers take their locks in one order (story-store.ts).
  await lockStories(db);
  const stored = await upsertItems(db, rows);
  // Deduplication works on what was just written; only the ids and times come back from the insert.
  const byGuid = new Map(rows.map((row) => [row.guid, row]));
  const inserted = stored.insertedRows.map(({ id, guid, at }) => {
    const row = byGuid.get(guid)!;
    return { id, guid, at, source_id: String(row.source_id), canonical_url: row.canonical_url ?? null, minhash: row.minhash ?? null };
  });
  const dedup = await deduplicator.dedupNewItems(db, inserted);
  if (dedup.promoted > 0) await keepTakenOverStories(db, stored.inserted);
  const placed = await clusterer.clusterNewItems(db, stored.inserted);
  const clusters = placed.opened + (await placeRemaining(db, stored.inserted));
  // Published feeds in other processes are re-checked when (and if) this transaction commits;
  // the caller announces the change in this process after the commit.
  if (stored.inserted.length > 0 || stored.updated.length > 0) await noticeOtherProcesses(db);
  return { stored, duplicates: dedup.duplicates, clusters };
}
