// The LSH band index for near-duplicate candidates, held in the worker's memory.
//
// A database index cannot do this cheaply: each new item asks 20 band keys, and PostgreSQL spends
// about 10 µs per index probe (plus as much again to write the item's 20 keys), which alone is
// 0.4 ms per item. In memory a probe is a Map lookup. The index only proposes candidates: every
// candidate is read back from the database and confirmed by its full signature, so a stale entry
// (an item deleted by retention, or edited since) costs a lookup, never a wrong link.
//
// Several processes may dedup into one database. Each keeps its own index, and catches up with the
// items the others deduplicated through `dedup_seq`: a number every deduplicated item gets while
// its transaction holds the dedup lock, so numbers are handed out in commit order, and "everything
// above the last number I saw" is exactly what this process has not seen yet.
import { BANDS, bandKeys } from './minhash.js';

export interface IndexedItem {
  id: string;
  minhash: number[];
  /** Publication (else fetch) time, ms since the epoch. */
  at: number;
}

export class BandIndex {
  /** Per band, band key → ids of the items with that key (numbers: bigint ids stay below 2^53). */
  private readonly buckets: Array<Map<number, number[]>> = Array.from({ length: BANDS }, () => new Map());
  /** Indexed items in the order they were added, with their times, for pruning. */
  private readonly items = new Map<number, { at: number; keys: number[] }>();
  /** The highest dedup_seq this index has seen; null before it was loaded. */
  seenSeq: string | null = null;
  /** Items at or after this time are all in the index (those before it were never loaded). */
  horizon = 0;
  /** Older time ranges loaded on demand (a new source's backlog), [from, to] in ms. */
  private ranges: Array<[number, number]> = [];

  /** Whether every stored item published in [from, to] is in the index. */
  covers(from: number, to: number): boolean {
    if (from >= this.horizon) return true;
    return this.ranges.some(([a, b]) => a <= from && (to <= b || b >= this.horizon));
  }

  /** Notes that every stored item published in [from, to] has been added. */
  markCovered(from: number, to: number): void {
    this.ranges.push([from, to]);
  }

  get size(): number {
    return this.items.size;
  }

  add(item: IndexedItem): void {
    const id = Number(item.id);
    if (this.items.has(id)) return;
    const keys = bandKeys(item.minhash);
    this.items.set(id, { at: item.at, keys });
    keys.forEach((key, band) => {
      const bucket = this.buckets[band]!.get(key);
      if (bucket) bucket.push(id);
      else this.buckets[band]!.set(key, [id]);
    });
  }

  /** Ids of indexed items that share a band with `minhash` and lie within `windowMs` of `at`. */
  candidates(minhash: readonly number[], at: number, windowMs: number): string[] {
    const found = new Set<number>();
    const keys = bandKeys(minhash);
    for (let band = 0; band < keys.length; band++) {
      for (const id of this.buckets[band]!.get(keys[band]!) ?? []) {
        if (found.has(id)) continue;
        const item = this.items.get(id);
        if (item && Math.abs(item.at - at) <= windowMs) found.add(id);
      }
    }
    return [...found].map(String);
  }

  /** Forgets items published before `before` (memory stays bounded by the time horizon). */
  prune(before: number): void {
    this.horizon = Math.max(this.horizon, before);
    this.ranges = [];
    for (const [id, item] of this.items) {
      if (item.at >= before) continue;
      this.items.delete(id);
      item.keys.forEach((key, band) => {
        const buckets = this.buckets[band]!;
        const bucket = buckets.get(key);
        if (!bucket) return;
        const at = bucket.indexOf(id);
        if (at >= 0) bucket.splice(at, 1);
        if (bucket.length === 0) buckets.delete(key);
      });
    }
  }
}
