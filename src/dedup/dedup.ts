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
// A poll's new items are handled as one batch with a fixed number of set-based queries, so the
// cost per item stays flat as the store grows (the band index answers "who shares a band").
import { sql } from 'kysely';
import type { Executor } from '../../db/queries/polling.js';
import { bandKeys, similarity } from './minhash.js';

export interface DedupSettings {
  /** Estimated Jaccard similarity at or above which two texts are copies of one story. */
  nearThreshold: number;
  /** Copies are looked for among items published this many hours before or after. */
  windowHours: number;
}

export const DEFAULT_DEDUP: DedupSettings = { nearThreshold: 0.5, windowHours: 72 };

export type DuplicateReason = 'guid' | 'url' | 'near';

interface Candidate {
  id: string;
  source_id: string;
  guid: string;
  canonical_url: string | null;
  minhash: number[] | null;
  at: Date;
  preferred: boolean;
  duplicate_of: string | null;
  cluster_id: string | null;
}

interface Match {
  id: string;
  reason: DuplicateReason;
  similarity: number;
}

export interface DedupResult {
  /** New items found to be copies. */
  duplicates: number;
}

const GLOBAL_GUID = /^(?:https?:\/\/|tag:|urn:)/i;
/** Advisory lock key for the dedup step ("feedloom dedup"). */
const DEDUP_LOCK = 0x66656564;

function itemsQuery(db: Executor) {
  return db
    .selectFrom('items')
    .innerJoin('sources', 'sources.id', 'items.source_id')
    .select([
      'items.id',
      'items.source_id',
      'items.guid',
      'items.canonical_url',
      'items.minhash',
      sql<Date>`coalesce(items.published_at, items.fetched_at)`.as('at'),
      'sources.preferred',
      'items.duplicate_of',
      'items.cluster_id',
    ]);
}

/** Whether `a` should be the original rather than `b`. */
function leads(a: Candidate, b: Candidate): boolean {
  if (a.preferred !== b.preferred) return a.preferred;
  return a.at.getTime() < b.at.getTime();
}

function bestMatch(item: Candidate, keys: Set<string>, pool: Iterable<{ candidate: Candidate; keys: Set<string> }>, settings: DedupSettings): Match | null {
  const window = settings.windowHours * 3_600_000;
  let best: Match | null = null;
  for (const { candidate: other, keys: otherKeys } of pool) {
    if (other.id === item.id) continue;
    if (GLOBAL_GUID.test(item.guid) && other.guid === item.guid && other.source_id !== item.source_id) {
      return { id: other.id, reason: 'guid', similarity: 1 };
    }
    if (item.canonical_url && other.canonical_url === item.canonical_url && other.source_id !== item.source_id) {
      if (!best || best.reason === 'near') best = { id: other.id, reason: 'url', similarity: 1 };
      continue;
    }
    if (best?.reason === 'url' || !item.minhash || !other.minhash) continue;
    if (Math.abs(other.at.getTime() - item.at.getTime()) > window) continue;
    let shared = false;
    for (const k of otherKeys) if (keys.has(k)) shared = true;
    if (!shared) continue;
    const score = similarity(item.minhash, other.minhash);
    if (score >= settings.nearThreshold && (!best || score > best.similarity)) best = { id: other.id, reason: 'near', similarity: score };
  }
  return best;
}

/**
 * Finds the originals of newly inserted items (in publication order, so copies within one batch
 * find each other) and links them. Runs inside the poll's transaction.
 */
export async function dedupNewItems(db: Executor, itemIds: string[], settings: DedupSettings = DEFAULT_DEDUP): Promise<DedupResult> {
  const result: DedupResult = { duplicates: 0 };
  if (itemIds.length === 0) return result;
  // Two sources carrying the same story may be stored by concurrent transactions (several fetches at
  // once, several workers); neither would see the other's uncommitted items. This lock, held until
  // the poll's transaction commits, makes the dedup-and-commit step of store transactions take turns,
  // so each sees every copy committed before it.
  await sql`select pg_advisory_xact_lock(${DEDUP_LOCK})`.execute(db);
  const batch = await itemsQuery(db)
    .where('items.id', 'in', itemIds)
    .orderBy(sql`coalesce(items.published_at, items.fetched_at)`)
    .orderBy('items.id')
    .execute();
  const keysOf = new Map(batch.map((item) => [item.id, new Set(item.minhash ? bandKeys(item.minhash) : [])]));
  const allKeys = [...new Set([...keysOf.values()].flatMap((k) => [...k]))];
  const window = settings.windowHours * 3_600_000;
  const times = batch.map((i) => i.at.getTime());
  const guids = [...new Set(batch.map((i) => i.guid).filter((g) => GLOBAL_GUID.test(g)))];
  const urls = [...new Set(batch.map((i) => i.canonical_url).filter((u): u is string => Boolean(u)))];

  // Stored items that could be copies: sharing a band (within the window), a global guid or a URL.
  const stored = new Map<string, Candidate>();
  const bandsOf = new Map<string, Set<string>>();
  if (allKeys.length > 0) {
    // One array parameter rather than a thousand: large IN lists cost more to plan than to run.
    const rows = await db
      .selectFrom('item_bands')
      .select(['key', 'item_id'])
      .where(sql<boolean>`key = any(${sql.val(allKeys)}::bigint[])`)
      .where('at', '>=', new Date(Math.min(...times) - window))
      .where('at', '<=', new Date(Math.max(...times) + window))
      .execute();
    for (const row of rows) {
      const id = String(row.item_id);
      if (!bandsOf.has(id)) bandsOf.set(id, new Set());
      bandsOf.get(id)!.add(String(row.key));
    }
  }
  // One round trip for all three kinds of candidate (PostgreSQL ORs the three indexes).
  const bandIds = [...bandsOf.keys()];
  if (bandIds.length > 0 || guids.length > 0 || urls.length > 0) {
    const rows = await itemsQuery(db)
      .where((eb) =>
        eb.or([
          sql<boolean>`items.id = any(${sql.val(bandIds)}::bigint[])`,
          sql<boolean>`items.guid = any(${sql.val(guids)}::text[])`,
          sql<boolean>`items.canonical_url = any(${sql.val(urls)}::text[])`,
        ]),
      )
      .execute();
    const batchIds = new Set(itemIds);
    for (const row of rows) if (!batchIds.has(row.id)) stored.set(row.id, row);
  }

  // Roots of the stored groups: a match with a copy means a match with its original.
  const missingRoots = [...new Set([...stored.values()].map((c) => c.duplicate_of).filter((id): id is string => id !== null && !stored.has(id)))];
  const roots = new Map<string, Candidate>();
  if (missingRoots.length > 0) for (const row of await itemsQuery(db).where('items.id', 'in', missingRoots).execute()) roots.set(row.id, row);
  const find = (id: string): Candidate | undefined => stored.get(id) ?? roots.get(id) ?? batch.find((b) => b.id === id);

  const pool: Array<{ candidate: Candidate; keys: Set<string> }> = [...stored.values()].map((candidate) => ({
    candidate,
    keys: bandsOf.get(candidate.id) ?? new Set(),
  }));
  const links = new Map<string, { original: string; duplicate_reason: DuplicateReason; duplicate_similarity: number }>();
  for (const item of batch) {
    const keys = keysOf.get(item.id)!;
    const match = bestMatch(item, keys, pool, settings);
    // Later items of this batch may be copies of this one.
    pool.push({ candidate: item, keys });
    if (!match) continue;
    const found = find(match.id);
    const original = found?.duplicate_of ? find(found.duplicate_of) : found;
    if (!original || original.id === item.id) continue;
    const link = { duplicate_reason: match.reason, duplicate_similarity: match.similarity };
    if (leads(item, original)) {
      // The new copy becomes the original: the group re-points to it, and it takes the story over
      // (story ids stay stable for published feeds).
      for (const l of links.values()) if (l.original === original.id) l.original = item.id;
      await db.updateTable('items').set({ duplicate_of: item.id }).where('duplicate_of', '=', original.id).execute();
      await db.updateTable('items').set({ duplicate_of: item.id, ...link }).where('id', '=', original.id).execute();
      if (original.cluster_id) await db.updateTable('items').set({ cluster_id: original.cluster_id }).where('id', '=', item.id).execute();
      for (const c of [...stored.values(), ...batch]) if (c.duplicate_of === original.id || c.id === original.id) c.duplicate_of = item.id;
      item.duplicate_of = null;
      item.cluster_id = original.cluster_id;
    } else {
      // Written below in one statement; its story is joined after the batch's new stories exist.
      links.set(item.id, { original: original.id, ...link });
      item.duplicate_of = original.id;
    }
    result.duplicates += 1;
  }

  if (links.size > 0) {
    const entries = [...links.entries()];
    await sql`
      update items i
      set duplicate_of = v.original, duplicate_reason = v.reason, duplicate_similarity = v.similarity
      from unnest(${sql.val(entries.map(([id]) => id))}::bigint[], ${sql.val(entries.map(([, l]) => l.original))}::bigint[],
                  ${sql.val(entries.map(([, l]) => l.duplicate_reason))}::text[], ${sql.val(entries.map(([, l]) => l.duplicate_similarity))}::real[])
        as v(id, original, reason, similarity)
      where i.id = v.id
    `.execute(db);
  }

  const bandRows = batch.flatMap((item) => [...keysOf.get(item.id)!].map((key) => [key, item.id, item.at.toISOString()] as const));
  if (bandRows.length > 0) {
    await sql`
      insert into item_bands (key, item_id, at)
      select * from unnest(${sql.val(bandRows.map((r) => r[0]))}::bigint[], ${sql.val(bandRows.map((r) => r[1]))}::bigint[],
                           ${sql.val(bandRows.map((r) => r[2]))}::timestamptz[])
      on conflict do nothing
    `.execute(db);
  }
  return result;
}
