// Queries on the sources table: the sources themselves, and the poll leases and outcomes kept on
// them. Callers get rows; shaping for JSON happens in src/sources.
import { sql, type Kysely } from 'kysely';
import type { Executor } from '../executor.js';
import type { Database, NewSource, SourceRow, SourceStatus } from '../schema.js';

export type SourceWithCount = SourceRow & { item_count: number };

export async function insertSource(db: Kysely<Database>, source: NewSource): Promise<SourceRow | null> {
  // ON CONFLICT keeps concurrent adds of one URL (two admins, an OPML with duplicates) from failing.
  const row = await db
    .insertInto('sources')
    .values(source)
    .onConflict((oc) => oc.column('url').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function findSourceByUrl(db: Executor, url: string): Promise<SourceRow | null> {
  return (await db.selectFrom('sources').selectAll().where('url', '=', url).executeTakeFirst()) ?? null;
}

// Counted per source on read; cheap with items_source_published_idx and always right.
const itemCount = sql<number>`(select count(*)::int from items where items.source_id = sources.id)`;

export async function getSource(db: Executor, id: string): Promise<SourceWithCount | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const row = await db
    .selectFrom('sources')
    .selectAll('sources')
    .select(() => itemCount.as('item_count'))
    .where('sources.id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

export interface ListSourcesOptions {
  limit: number;
  /** Keyset pagination: ids greater than this one. */
  afterId?: string | null;
}

export async function listSources(db: Kysely<Database>, options: ListSourcesOptions): Promise<SourceWithCount[]> {
  let query = db
    .selectFrom('sources')
    .selectAll('sources')
    .select(() => itemCount.as('item_count'))
    .orderBy('sources.id')
    .limit(options.limit);
  if (options.afterId) query = query.where('sources.id', '>', options.afterId);
  return query.execute();
}

export async function deleteSource(db: Executor, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const result = await db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function allSourceUrls(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('sources').select('url').execute();
  return new Set(rows.map((r) => r.url));
}

export async function updateSource(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<SourceRow, 'title' | 'status' | 'preferred'>>,
): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const result = await db
    .updateTable('sources')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

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
