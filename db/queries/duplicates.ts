// Queries for cross-feed deduplication (src/dedup/dedup.ts). A poll's batch of new items costs
// three short round trips whatever its size and whatever the store's: take the dedup lock; read the
// candidates together with what other workers deduplicated since we last looked; write the links
// and the log. The batch itself is not read back: the store step hands it over.
// Near-duplicate candidates come from the in-memory band index, so no query here probes per band.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/** An item as dedup sees it: identity, fingerprint, time, and its place in a duplicate group. */
export interface DedupCandidate {
  id: string;
  source_id: string;
  guid: string;
  canonical_url: string | null;
  minhash: number[] | null;
  /** Publication time, else fetch time. */
  at: Date;
  /** Whether an admin marked the item's source as preferred (its copy is the original). */
  preferred: boolean;
  duplicate_of: string | null;
  cluster_id: string | null;
}

/** An item for the band index. */
export interface FingerprintRow {
  id: string;
  minhash: number[];
  at: Date;
}

export interface DuplicateLink {
  id: string;
  original: string;
  reason: string;
  similarity: number;
}

/** Advisory lock key for the dedup step ("feed"). */
const DEDUP_LOCK = 0x66656564;

const CANDIDATE_COLUMNS = sql`
  items.id, items.source_id, items.guid, items.canonical_url, items.minhash,
  coalesce(items.published_at, items.fetched_at) as at, sources.preferred, items.duplicate_of, items.cluster_id`;

/**
 * Serializes the dedup step of store transactions until this one ends: two sources carrying the
 * same story may be stored at once, and neither would see the other's uncommitted items. Its own
 * statement, so that every statement after it has a snapshot that sees every copy committed by the
 * transactions that held the lock before.
 */
export async function takeDedupLock(db: Executor): Promise<void> {
  await sql`/* prepared:dedup-lock */ select pg_advisory_xact_lock(${DEDUP_LOCK})`.execute(db);
}

export interface CandidateQuery {
  /** Near-duplicate candidates proposed by the band index. */
  ids: string[];
  /** Global guids and canonical URLs of the batch. */
  guids: string[];
  urls: string[];
  /** The batch, which is not its own candidate. */
  batchIds: string[];
}

/**
 * Stored items that may be copies of the batch's — the band index's candidates, and those sharing
 * a global guid or a canonical URL — plus the originals of those that are copies themselves (a
 * match with a copy is a match with its original). Materialized steps keep the plan to index
 * lookups: found ids, then their rows by primary key, then the rows of their originals by primary key.
 */
const candidateRows = (query: CandidateQuery) => sql`
  found as materialized (
    select id from items where id = any(${query.ids}::bigint[])
    union select id from items where guid = any(${query.guids}::text[])
    union select id from items where canonical_url = any(${query.urls}::text[])
  ), found_items as materialized (
    select ${CANDIDATE_COLUMNS}
    from items join sources on sources.id = items.source_id
    where items.id in (select id from found) and not (items.id = any(${query.batchIds}::bigint[]))
  ), candidates as (
    select * from found_items
    union all
    select ${CANDIDATE_COLUMNS}
    from items join sources on sources.id = items.source_id
    where items.id in (select duplicate_of from found_items where duplicate_of is not null)
      and items.id not in (select id from found_items)
  )`;

export interface CandidatesAndNews {
  candidates: DedupCandidate[];
  /** Fingerprints of the items other workers deduplicated after `seenSeq`. */
  news: FingerprintRow[];
  /** The highest number in the log. */
  seq: string;
  /** Log entries after `seenSeq` were pruned: the caller's index has missed some and must be reloaded. */
  gap: boolean;
  /** Which of the batch's sources an admin marked as preferred. */
  preferredSources: Set<string>;
}

/**
 * Everything a batch needs from the database, in one statement: the candidates (see
 * candidateRows), the fingerprints of the items deduplicated after `seenSeq` (by other workers:
 * this one's own are in its index already), the log's bounds, and the batch's preferred sources.
 */
export async function readCandidatesAndNews(
  db: Executor,
  query: CandidateQuery & { seenSeq: string; sourceIds: string[] },
): Promise<CandidatesAndNews> {
  type Row = DedupCandidate & { kind: 'candidate' | 'news' | 'preferred' | 'max' | 'min'; seq: string | null };
  const { rows } = await sql<Row>`/* prepared:dedup-read */
    with ${candidateRows(query)}
    select 'candidate' as kind, candidates.*, null::bigint as seq from candidates
    union all
    select 'news', items.id, null, null, null, items.minhash, coalesce(items.published_at, items.fetched_at), null, null, null, dedup_log.seq
    from dedup_log join items on items.id = dedup_log.item_id
    where dedup_log.seq > ${query.seenSeq}::bigint and items.minhash is not null
    union all
    select 'preferred', null, id, null, null, null, null, true, null, null, null
    from sources where id = any(${query.sourceIds}::bigint[]) and preferred
    union all
    select 'max', null, null, null, null, null, null, null, null, null, max(seq) from dedup_log
    union all
    select 'min', null, null, null, null, null, null, null, null, null, min(seq) from dedup_log
  `.execute(db);
  const seen = BigInt(query.seenSeq);
  let seq = seen;
  let oldest: bigint | null = null;
  const result: CandidatesAndNews = { candidates: [], news: [], seq: '', gap: false, preferredSources: new Set() };
  for (const { kind, seq: rowSeq, ...item } of rows) {
    if (kind === 'candidate') result.candidates.push(item);
    else if (kind === 'news') result.news.push({ id: item.id, minhash: item.minhash!, at: item.at });
    else if (kind === 'preferred') result.preferredSources.add(item.source_id);
    else if (kind === 'max' && rowSeq !== null && BigInt(rowSeq) > seq) seq = BigInt(rowSeq);
    else if (kind === 'min' && rowSeq !== null) oldest = BigInt(rowSeq);
  }
  result.seq = String(seq);
  result.gap = oldest !== null && oldest > seen + 1n;
  return result;
}

/** Every fingerprinted item published at or after `since`, and the highest number in the log. */
export async function readRecentFingerprints(db: Executor, since: Date): Promise<{ items: FingerprintRow[]; seq: string }> {
  const { rows } = await sql<FingerprintRow>`
    select id, minhash, coalesce(published_at, fetched_at) as at from items
    where minhash is not null and coalesce(published_at, fetched_at) >= ${since}
  `.execute(db);
  const { rows: top } = await sql<{ seq: string | null }>`select max(seq)::text as seq from dedup_log`.execute(db);
  return { items: rows, seq: top[0]?.seq ?? '0' };
}

/** Fingerprinted items published in [from, to]: candidates for a batch item older than the band index. */
export async function readFingerprintsBetween(db: Executor, from: Date, to: Date): Promise<FingerprintRow[]> {
  const { rows } = await sql<FingerprintRow>`
    select id, minhash, coalesce(published_at, fetched_at) as at from items
    where minhash is not null and coalesce(published_at, fetched_at) between ${from} and ${to}
  `.execute(db);
  return rows;
}

/** The candidates alone (see candidateRows): for those the band index proposes only after catching up. */
export async function readCandidates(db: Executor, query: CandidateQuery): Promise<DedupCandidate[]> {
  if (query.ids.length === 0 && query.guids.length === 0 && query.urls.length === 0) return [];
  const { rows } = await sql<DedupCandidate>`/* prepared:dedup-candidates */
    with ${candidateRows(query)}
    select * from candidates
  `.execute(db);
  return rows;
}

/**
 * Records the batch's links to originals and logs its items in dedup order (see dedup_log), in one
 * statement. Returns the highest number logged.
 */
export async function writeLinksAndLog(db: Executor, batchIds: string[], links: DuplicateLink[]): Promise<string | null> {
  const { rows } = await sql<{ seq: string | null }>`/* prepared:dedup-write */
    with linked as (
      update items i
      set duplicate_of = v.original, duplicate_reason = v.reason, duplicate_similarity = v.similarity
      from unnest(${links.map((l) => l.id)}::bigint[], ${links.map((l) => l.original)}::bigint[],
                  ${links.map((l) => l.reason)}::text[], ${links.map((l) => l.similarity)}::real[])
        as v(id, original, reason, similarity)
      where i.id = v.id
      returning i.id
    ), logged as (
      insert into dedup_log (item_id) select unnest(${batchIds}::bigint[]) returning seq
    )
    select max(seq)::text as seq from logged
  `.execute(db);
  return rows[0]?.seq ?? null;
}

/**
 * A new copy that should be the original (earlier, or from a preferred source) takes the group
 * over: the old original and its copies point to it. It then joins the old original's story
 * (src/stories, before clustering), so the story id published feeds rely on stays the same.
 */
export async function promoteToOriginal(
  db: Executor,
  newOriginal: string,
  oldOriginal: { id: string; cluster_id: string | null },
  link: { reason: string; similarity: number },
): Promise<void> {
  await sql`
    with repointed as (
      update items set duplicate_of = ${newOriginal} where duplicate_of = ${oldOriginal.id} returning id
    )
    update items set duplicate_of = ${newOriginal}, duplicate_reason = ${link.reason}, duplicate_similarity = ${link.similarity}
    where id = ${oldOriginal.id}
  `.execute(db);
}
