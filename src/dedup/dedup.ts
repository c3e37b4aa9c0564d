// Cross-feed deduplication of newly stored items. A duplicate is never deleted: it is stored,
// linked to the original (duplicate_of, with the reason and a similarity) and joins the original's
// story, so merged feeds show the story once with "also reported by …".
//
// Reasons, strongest first:
//   guid — the same globally unique guid (a URL, tag: or urn:) in two feeds: an aggregator feed
//          republishing the original blog;
//   url  — the same canonical article URL (tracking parameters, AMP and mobile variants removed);
//   near — syndicated wire copy: MinHash-estimated Jaccard similarity of the text's word 3-shingles
//          at or above the threshold, among items published within the window.
// The original is the earliest copy, unless an admin marked a source as preferred.
import { sql } from 'kysely';
import type { Executor } from '../../db/queries/polling.js';
import { htmlToText } from '../parse/text.js';
import { bandKeys, fingerprintText, shingles, signature, similarity, words } from './minhash.js';

export interface DedupSettings {
  /** Estimated Jaccard similarity at or above which two texts are copies of one story. */
  nearThreshold: number;
  /** Copies are looked for among items published this many hours before or after. */
  windowHours: number;
}

export const DEFAULT_DEDUP: DedupSettings = { nearThreshold: 0.5, windowHours: 72 };

export type DuplicateReason = 'guid' | 'url' | 'near';

interface Match {
  id: string;
  reason: DuplicateReason;
  similarity: number;
}

interface StoredItem {
  id: string;
  source_id: string;
  guid: string;
  canonical_url: string | null;
  title: string | null;
  summary: string | null;
  content: string | null;
  at: Date;
  preferred: boolean;
  duplicate_of: string | null;
  cluster_id: string | null;
}

const GLOBAL_GUID = /^(?:https?:\/\/|tag:|urn:)/i;

async function load(db: Executor, ids: string[]): Promise<StoredItem[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('items')
    .innerJoin('sources', 'sources.id', 'items.source_id')
    .select([
      'items.id',
      'items.source_id',
      'items.guid',
      'items.canonical_url',
      'items.title',
      'items.summary',
      'items.content',
      sql<Date>`coalesce(items.published_at, items.fetched_at)`.as('at'),
      'sources.preferred',
      'items.duplicate_of',
      'items.cluster_id',
    ])
    .where('items.id', 'in', ids)
    .orderBy(sql`coalesce(items.published_at, items.fetched_at)`)
    .orderBy('items.id')
    .execute();
}

/** Stores the item's fingerprint and returns the best near-duplicate candidate, if any. */
async function nearMatch(db: Executor, item: StoredItem, settings: DedupSettings): Promise<Match | null> {
  const text = fingerprintText(item.title, htmlToText(item.summary ?? item.content ?? ''));
  const sig = signature(shingles(words(text)));
  if (!sig) return null;
  const keys = bandKeys(sig);
  await db.updateTable('items').set({ minhash: sql`${sql.val(sig)}::int4[]` }).where('id', '=', item.id).execute();
  await db
    .insertInto('item_bands')
    .values(keys.map((key) => ({ key, item_id: item.id, at: item.at })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const window = settings.windowHours * 3_600_000;
  const candidates = await db
    .selectFrom('item_bands as b')
    .innerJoin('items as i', 'i.id', 'b.item_id')
    .select(['i.id', 'i.minhash'])
    .distinct()
    .where('b.key', 'in', keys)
    .where('b.at', '>=', new Date(item.at.getTime() - window))
    .where('b.at', '<=', new Date(item.at.getTime() + window))
    .where('b.item_id', '<>', item.id)
    .execute();
  let best: Match | null = null;
  for (const c of candidates) {
    if (!c.minhash) continue;
    const score = similarity(sig, c.minhash);
    if (score >= settings.nearThreshold && (!best || score > best.similarity)) best = { id: c.id, reason: 'near', similarity: score };
  }
  return best;
}

async function exactMatch(db: Executor, item: StoredItem): Promise<Match | null> {
  const earliest = sql`coalesce(published_at, fetched_at)`;
  if (GLOBAL_GUID.test(item.guid)) {
    const row = await db
      .selectFrom('items')
      .select('id')
      .where('guid', '=', item.guid)
      .where('source_id', '<>', item.source_id)
      .orderBy(earliest)
      .limit(1)
      .executeTakeFirst();
    if (row) return { id: row.id, reason: 'guid', similarity: 1 };
  }
  if (item.canonical_url) {
    const row = await db
      .selectFrom('items')
      .select('id')
      .where('canonical_url', '=', item.canonical_url)
      // Within one source, identity is the guid: a page with an anchor per entry has one canonical URL.
      .where('source_id', '<>', item.source_id)
      .orderBy(earliest)
      .limit(1)
      .executeTakeFirst();
    if (row) return { id: row.id, reason: 'url', similarity: 1 };
  }
  return null;
}

/** Whether the new copy should lead instead of the current original. */
function leads(candidate: StoredItem, original: StoredItem): boolean {
  if (candidate.preferred !== original.preferred) return candidate.preferred;
  return candidate.at.getTime() < original.at.getTime();
}

export interface DedupResult {
  /** New items found to be copies. */
  duplicates: number;
  /** Stories that gained items (their counts need refreshing). */
  touchedClusters: Set<string>;
}

/**
 * Looks for the originals of newly inserted items, in publication order so that copies within
 * one batch find each other. Runs inside the poll's transaction.
 */
export async function dedupNewItems(db: Executor, itemIds: string[], settings: DedupSettings = DEFAULT_DEDUP): Promise<DedupResult> {
  const result: DedupResult = { duplicates: 0, touchedClusters: new Set() };
  for (const item of await load(db, itemIds)) {
    const near = await nearMatch(db, item, settings);
    const match = (await exactMatch(db, item)) ?? near;
    if (!match) continue;
    const [found] = await load(db, [match.id]);
    if (!found) continue;
    const [original] = found.duplicate_of ? await load(db, [found.duplicate_of]) : [found];
    if (!original || original.id === item.id) continue;
    const link = { duplicate_reason: match.reason, duplicate_similarity: match.similarity };
    if (leads(item, original)) {
      // The new copy becomes the original: the group re-points to it, and it takes the story over
      // (story ids stay stable for published feeds).
      await db.updateTable('items').set({ duplicate_of: item.id }).where('duplicate_of', '=', original.id).execute();
      await db.updateTable('items').set({ duplicate_of: item.id, ...link }).where('id', '=', original.id).execute();
      await db.updateTable('items').set({ cluster_id: original.cluster_id }).where('id', '=', item.id).execute();
    } else {
      await db
        .updateTable('items')
        .set({ duplicate_of: original.id, cluster_id: original.cluster_id, ...link })
        .where('id', '=', item.id)
        .execute();
    }
    result.duplicates += 1;
    if (original.cluster_id) result.touchedClusters.add(original.cluster_id);
  }
  return result;
}
