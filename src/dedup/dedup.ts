// Cross-feed deduplication of newly stored items. A duplicate is never deleted: it is stored,
// linked to the original (duplicate_of, with the reason and a similarity) and joins the original's
// story, so merged feeds show the story once with "also reported by …".
//
// Reasons, strongest first:
//   guid — the same globally unique guid (a URL, tag: or urn:) in two feeds: an aggregator feed
//          republishing the original blog;
//   url  — the same canonical article URL in two feeds (tracking parameters, AMP and mobile
//          variants removed: see canonical-url.ts);
//   near — syndicated wire copy: MinHash-estimated Jaccard similarity of the text's word 3-shingles
//          at or above the threshold, among items published within the window (minhash.ts).
// The original is the earliest copy, unless an admin marked a source as preferred.
//
// A poll's new items are handled as one batch with a fixed number of short queries, so the cost per
// item stays flat as the store grows: near-duplicate candidates come from an in-memory LSH band
// index (band-index.ts), guid and URL candidates from one indexed query.
import type { Executor } from '../../db/executor.js';
import {
  promoteToOriginal,
  readCandidates,
  readCandidatesAndNews,
  readFingerprintsBetween,
  readRecentFingerprints,
  takeDedupLock,
  writeLinksAndLog,
  type DedupCandidate,
  type DuplicateLink,
} from '../../db/queries/duplicates.js';
import { BandIndex } from './band-index.js';
import { bandKeys, similarity } from './minhash.js';

export interface DedupSettings {
  /** Estimated Jaccard similarity at or above which two texts are copies of one story. */
  nearThreshold: number;
  /** Copies are looked for among items published this many hours before or after. */
  windowHours: number;
}

export const DEFAULT_DEDUP: DedupSettings = { nearThreshold: 0.5, windowHours: 72 };

export type DuplicateReason = 'guid' | 'url' | 'near';

type Candidate = DedupCandidate;

interface Match {
  id: string;
  reason: DuplicateReason;
  similarity: number;
}

/** A newly inserted item, as the store step knows it (not yet linked, nor in a story). */
export type NewlyStoredItem = Pick<DedupCandidate, 'id' | 'source_id' | 'guid' | 'canonical_url' | 'minhash' | 'at'>;

export interface DedupResult {
  /** New items found to be copies. */
  duplicates: number;
  /** New items that took a group over from an older original (they join its story next). */
  promoted: number;
}

const GLOBAL_GUID = /^(?:https?:\/\/|tag:|urn:)/i;
const HOUR = 3_600_000;
/** The band index keeps at least a week, and twice the window: most backlogs are recent. */
const MIN_MEMORY = 7 * 24 * HOUR;
/** How often the band index forgets items older than its memory. */
const PRUNE_EVERY = 10 * 60_000;
/**
 * After this long without a batch the index is reloaded, not caught up through dedup_log: the log
 * keeps a day (retention job), and a reload costs one query.
 */
const RELOAD_AFTER_IDLE = 60 * 60_000;

/** Whether `a` should be the original rather than `b`. */
function leads(a: Candidate, b: Candidate): boolean {
  if (a.preferred !== b.preferred) return a.preferred;
  return a.at.getTime() < b.at.getTime();
}

/**
 * The item's band keys, by band. Two items share a band when their keys for that band are equal:
 * comparing 20 numbers in place is far cheaper than hashing them into sets.
 */
const keysOf = (item: Candidate): number[] => (item.minhash ? bandKeys(item.minhash) : []);

interface PoolEntry {
  candidate: Candidate;
  keys: number[];
  at: number;
}

const entry = (candidate: Candidate): PoolEntry => ({ candidate, keys: keysOf(candidate), at: candidate.at.getTime() });

function bestMatch(item: PoolEntry, pool: readonly PoolEntry[], settings: DedupSettings): Match | null {
  const window = settings.windowHours * HOUR;
  const { candidate: self, keys } = item;
  const globalGuid = GLOBAL_GUID.test(self.guid) ? self.guid : null;
  let best: Match | null = null;
  for (const { candidate: other, keys: otherKeys, at } of pool) {
    if (other.id === self.id) continue;
    if (globalGuid !== null && other.guid === globalGuid && other.source_id !== self.source_id) {
      return { id: other.id, reason: 'guid', similarity: 1 };
    }
    if (self.canonical_url && other.canonical_url === self.canonical_url && other.source_id !== self.source_id) {
      if (!best || best.reason === 'near') best = { id: other.id, reason: 'url', similarity: 1 };
      continue;
    }
    if (best?.reason === 'url' || !self.minhash || !other.minhash) continue;
    if (Math.abs(at - item.at) > window) continue;
    // Near copies are only those LSH proposes (sharing a band), however the candidate was found:
    // the result must not depend on whether it also shared a URL with another item.
    let shared = false;
    for (let band = 0; band < keys.length && !shared; band++) shared = keys[band] === otherKeys[band];
    if (!shared) continue;
    const score = similarity(self.minhash, other.minhash);
    if (score >= settings.nearThreshold && (!best || score > best.similarity)) best = { id: other.id, reason: 'near', similarity: score };
  }
  return best;
}

/**
 * The deduplication state a worker keeps between polls: its band index. One per database; the
 * first batch loads it (under the dedup lock), later batches only catch up.
 */
export class Deduplicator {
  private readonly index = new BandIndex();
  private lastPrune = 0;
  private lastBatch = 0;

  constructor(readonly settings: DedupSettings = DEFAULT_DEDUP) {}

  /** How many items the band index holds (for metrics and tests). */
  get indexedItems(): number {
    return this.index.size;
  }

  /**
   * Finds the originals of newly inserted items (in publication order, so copies within one batch
   * find each other) and links them. Runs inside the poll's transaction.
   */
  async dedupNewItems(db: Executor, items: readonly NewlyStoredItem[]): Promise<DedupResult> {
    const result: DedupResult = { duplicates: 0, promoted: 0 };
    if (items.length === 0) return result;
    const { index, settings } = this;
    const window = settings.windowHours * HOUR;
    const memory = Math.max(MIN_MEMORY, 2 * window);
    await takeDedupLock(db);
    // A worker idle for long reloads rather than trusting the log to reach back that far.
    if (index.seenSeq === null || Date.now() - this.lastBatch > RELOAD_AFTER_IDLE) {
      await this.reload(db, memory);
    } else if (Date.now() - this.lastPrune > PRUNE_EVERY) {
      index.prune(Date.now() - memory);
      this.lastPrune = Date.now();
    }
    this.lastBatch = Date.now();
    // The items were inserted by this transaction a moment ago: no links, no story, yet.
    const batch: Candidate[] = items
      .map((item) => ({ ...item, preferred: false, duplicate_of: null, cluster_id: null }))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || Number(BigInt(a.id) - BigInt(b.id)));
    const itemIds = batch.map((item) => item.id);

    // Near-duplicate candidates come from the band index. Items older than what it holds (a new
    // source's backlog) first have the stored fingerprints around their time loaded into it.
    await this.loadBacklog(db, batch, window);
    const query = {
      ids: this.nearCandidates(batch, window),
      guids: [...new Set(batch.map((i) => i.guid).filter((g) => GLOBAL_GUID.test(g)))],
      urls: [...new Set(batch.map((i) => i.canonical_url).filter((u): u is string => Boolean(u)))],
      batchIds: itemIds,
    };
    const read = await readCandidatesAndNews(db, { ...query, seenSeq: index.seenSeq ?? '0', sourceIds: [...new Set(batch.map((i) => i.source_id))] });
    for (const item of batch) item.preferred = read.preferredSources.has(item.source_id);
    if (read.gap) {
      // Idle past the log's retention: what others stored meanwhile is not in the log any more.
      await this.reload(db, memory);
    } else {
      for (const row of read.news) index.add({ id: row.id, minhash: row.minhash, at: row.at.getTime() });
      index.seenSeq = read.seq;
    }
    // What other workers stored since our last batch is only now in the index; its candidates
    // (rare: a copy stored elsewhere within the last poll) are read on their own.
    const asked = new Set([...query.ids, ...read.candidates.map((c) => c.id)]);
    const late = this.nearCandidates(batch, window).filter((id) => !asked.has(id));
    const stored = late.length === 0 ? read.candidates : [...read.candidates, ...(await readCandidates(db, { ids: late, guids: [], urls: [], batchIds: itemIds }))];
    const byId = new Map<string, Candidate>([...stored, ...batch].map((c) => [c.id, c]));

    // Stored items (and the originals of stored copies) first; each batch item joins the pool after
    // it has been matched, so later items of the batch may be copies of it.
    const pool = stored.map(entry);
    const links = new Map<string, DuplicateLink>();
    for (const item of batch) {
      const own = entry(item);
      const match = bestMatch(own, pool, settings);
      pool.push(own);
      if (!match) continue;
      const found = byId.get(match.id);
      const original = found?.duplicate_of ? byId.get(found.duplicate_of) : found;
      if (!original || original.id === item.id) continue;
      if (leads(item, original)) {
        for (const l of links.values()) if (l.original === original.id) l.original = item.id;
        await promoteToOriginal(db, item.id, original, { reason: match.reason, similarity: match.similarity });
        result.promoted += 1;
        for (const c of byId.values()) if (c.duplicate_of === original.id || c.id === original.id) c.duplicate_of = item.id;
        item.duplicate_of = null;
        item.cluster_id = original.cluster_id;
      } else {
        // Written below in one statement; its story is joined after the batch's new stories exist.
        links.set(item.id, { id: item.id, original: original.id, reason: match.reason, similarity: match.similarity });
        item.duplicate_of = original.id;
      }
      result.duplicates += 1;
    }

    const written = await writeLinksAndLog(db, itemIds, [...links.values()]);
    if (written !== null && BigInt(written) > BigInt(index.seenSeq ?? '0')) index.seenSeq = written;
    // If the transaction rolls back, these entries point at nothing: candidates are always read
    // back from the database, so they cost a lookup and nothing else.
    for (const item of batch) if (item.minhash) index.add({ id: item.id, minhash: item.minhash, at: item.at.getTime() });
    return result;
  }

  /** Ids of indexed items that share a band with a batch item and lie within the window. */
  private nearCandidates(batch: readonly Candidate[], window: number): string[] {
    const ids = new Set<string>();
    for (const item of batch) {
      if (!item.minhash) continue;
      for (const id of this.index.candidates(item.minhash, item.at.getTime(), window)) ids.add(id);
    }
    return [...ids];
  }

  /** Loads the fingerprints of the last `memory` ms (at the first batch, or after a gap in the log). */
  private async reload(db: Executor, memory: number): Promise<void> {
    const since = new Date(Date.now() - memory);
    const recent = await readRecentFingerprints(db, since);
    for (const row of recent.items) this.index.add({ id: row.id, minhash: row.minhash, at: row.at.getTime() });
    this.index.seenSeq = recent.seq;
    this.index.horizon = since.getTime();
    this.lastPrune = Date.now();
  }

  /** Loads the stored fingerprints around the times of batch items the band index does not cover. */
  private async loadBacklog(db: Executor, batch: Candidate[], window: number): Promise<void> {
    const missing = batch
      .filter((item) => item.minhash && !this.index.covers(item.at.getTime() - window, item.at.getTime() + window))
      .map((item) => [item.at.getTime() - window, item.at.getTime() + window] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    // Overlapping windows are read as one range.
    const ranges: Array<[number, number]> = [];
    for (const [from, to] of missing) {
      const last = ranges.at(-1);
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else ranges.push([from, to]);
    }
    for (const [from, to] of ranges) {
      for (const row of await readFingerprintsBetween(db, new Date(from), new Date(to))) {
        this.index.add({ id: row.id, minhash: row.minhash, at: row.at.getTime() });
      }
      this.index.markCovered(from, to);
    }
  }
}
