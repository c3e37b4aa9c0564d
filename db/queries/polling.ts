// Queries for the poll job: claiming due sources under a lease, recording outcomes, host blocks.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, FetchStatus, SourceRow, SourceStatus } from '../schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface ClaimOptions {
  owner: string;
  limit: number;
  leaseSeconds: number;
  /** Claim these sources (due or not); otherwise the due ones. */
  ids?: string[];
  /** With ids: also paused ones (an explicit "poll this source now"). */
  includePaused?: boolean;
}

/**
 * Leases up to `limit` sources to `owner`. FOR UPDATE SKIP LOCKED makes concurrent claims from
 * several workers on one PostgreSQL disjoint; the lease (owner + expiry) keeps a source claimed
 * after this short transaction ends, and an expired lease — a crashed worker — is taken over.
 * Sources on a host that asked us to back off are not claimed.
 */
export async function claimSources(db: Kysely<Database>, options: ClaimOptions): Promise<SourceRow[]> {
  const { owner, limit, leaseSeconds, ids } = options;
  if (ids && ids.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    let candidates = trx
      .selectFrom('sources')
      .select('id')
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', sql<Date>`now()`)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('hosts').select('hosts.host').whereRef('hosts.host', '=', 'sources.host').where('hosts.blocked_until', '>', sql<Date>`now()`),
          ),
        ),
      )
      .orderBy('next_poll_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    if (ids) {
      candidates = candidates.where('id', 'in', ids);
      if (!options.includePaused) candidates = candidates.where('status', '<>', 'paused');
    } else {
      candidates = candidates.where('status', '<>', 'paused').where('next_poll_at', '<=', sql<Date>`now()`);
    }
    const picked = (await candidates.execute()).map((r) => r.id);
    if (picked.length === 0) return [];
    return trx
      .updateTable('sources')
      .set({ lease_owner: owner, lease_expires_at: sql<Date>`now() + ${leaseSeconds}::int * interval '1 second'` })
      .where('id', 'in', picked)
      .returningAll()
      .execute();
  });
}

/** Ids of every unpaused source, for `poll --all`. */
export async function allPollableIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('sources').select('id').where('status', '<>', 'paused').orderBy('id').execute()).map((r) => r.id);
}

export interface SourceUpdateAfterPoll {
  url?: string;
  status: SourceStatus;
  errorCount: number;
  lastError: string | null;
  etag?: string | null;
  lastModified?: string | null;
  intervalSeconds: number;
  nextPollAt: Date;
  success: boolean;
  title?: string | null;
  siteUrl?: string | null;
}

/** Records a poll's outcome and ends the lease; false when the lease was lost to another worker. */
export async function finishPoll(trx: Executor, sourceId: string, owner: string, update: SourceUpdateAfterPoll): Promise<boolean> {
  const now = new Date();
  const result = await trx
    .updateTable('sources')
    .set({
      ...(update.url ? { url: update.url } : {}),
      ...(update.etag !== undefined ? { etag: update.etag } : {}),
      ...(update.lastModified !== undefined ? { last_modified: update.lastModified } : {}),
      ...(update.title ? { title: update.title } : {}),
      ...(update.siteUrl ? { site_url: update.siteUrl } : {}),
      // A paused source polled on request stays paused.
      status: sql<SourceStatus>`case when status = 'paused' then 'paused' else ${update.status} end`,
      error_count: update.errorCount,
      last_error: update.lastError,
      poll_interval_seconds: update.intervalSeconds,
      next_poll_at: update.nextPollAt,
      last_polled_at: now,
      ...(update.success ? { last_success_at: now } : {}),
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', sourceId)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives a claimed source back without polling it (shutdown, or its host is backing off). */
export async function releaseLease(db: Executor, sourceId: string, owner: string, nextPollAt?: Date): Promise<void> {
  await db
    .updateTable('sources')
    .set({ lease_owner: null, lease_expires_at: null, ...(nextPollAt ? { next_poll_at: nextPollAt } : {}) })
    .where('id', '=', sourceId)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function blockHost(db: Executor, host: string, until: Date, reason: string): Promise<void> {
  await db
    .insertInto('hosts')
    .values({ host, blocked_until: until, reason })
    .onConflict((oc) =>
      oc.column('host').doUpdateSet({
        blocked_until: sql<Date>`greatest(hosts.blocked_until, excluded.blocked_until)`,
        reason: (eb) => eb.ref('excluded.reason'),
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
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

export interface HistoryEntry {
  sourceId: string;
  startedAt: Date;
  durationMs: number;
  status: FetchStatus;
  httpStatus: number | null;
  bytes: number | null;
  itemsNew: number;
  itemsUpdated: number;
  errorKind: string | null;
  errorMessage: string | null;
}

export async function recordFetch(db: Executor, entry: HistoryEntry): Promise<void> {
  await db
    .insertInto('fetch_history')
    .values({
      source_id: entry.sourceId,
      started_at: entry.startedAt,
      duration_ms: Math.round(entry.durationMs),
      status: entry.status,
      http_status: entry.httpStatus,
      bytes: entry.bytes,
      items_new: entry.itemsNew,
      items_updated: entry.itemsUpdated,
      error_kind: entry.errorKind,
      error_message: entry.errorMessage?.slice(0, 2000) ?? null,
    })
    .execute();
}

export async function fetchHistory(db: Executor, sourceId: string, limit: number) {
  return db.selectFrom('fetch_history').selectAll().where('source_id', '=', sourceId).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
