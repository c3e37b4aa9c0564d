// The poller: claim due sources under a lease, fetch each (conditional GET, politely), parse,
// store the items, hand them to the story stage, and schedule the next poll — per source in one
// transaction, so a poll interrupted anywhere (crash, kill -9, database restart) leaves nothing
// half-stored, and running it again converges. Many workers can share one PostgreSQL: the lease
// keeps them off each other's sources.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { recordFetch } from '../../db/queries/fetch-history.js';
import { blockHost } from '../../db/queries/hosts.js';
import { countItemsSince } from '../../db/queries/items.js';
import { allPollableIds, claimSources, findSourceByUrl, finishPoll, releaseLease } from '../../db/queries/sources.js';
import type { Database, SourceRow } from '../../db/schema.js';
import { DEFAULT_DEDUP, Deduplicator, type DedupSettings } from '../dedup/dedup.js';
import { Clusterer } from '../cluster/clusterer.js';
import type { StoryChanges } from '../publish/story-changes.js';
import { storyWrites } from '../stories/story-store.js';
import { storeItems } from './store-items.js';
import { DEFAULT_CLUSTER_SETTINGS, type ClusterSettings } from '../cluster/story-index.js';
import { messageOf } from '../errors.js';
import { FetchError, fetchFeed } from '../fetch/fetcher.js';
import { FeedParseError, parseFeed } from '../parse/parse-feed.js';
import { itemRows } from './item-rows.js';
import {
  DEFAULT_SCHEDULE,
  FAILING_AFTER_ERRORS,
  RATE_WINDOW_DAYS,
  hostBackoffSeconds,
  planNextPoll,
  type ScheduleSettings,
  type ServerHints,
} from './schedule.js';
import type { FetchSettings } from '../sources/sources.js';

export interface PollSettings {
  /** Sources fetched at once by this worker. */
  concurrency: number;
  /** Sources of one host fetched at once by this worker. */
  perHost: number;
  /** How long a claim lasts; longer than the slowest possible poll. */
  leaseSeconds: number;
  schedule: ScheduleSettings;
  dedup: DedupSettings;
  cluster: ClusterSettings;
}

export const DEFAULT_POLL_SETTINGS: PollSettings = {
  concurrency: 16,
  perHost: 2,
  leaseSeconds: 300,
  schedule: DEFAULT_SCHEDULE,
  dedup: DEFAULT_DEDUP,
  cluster: DEFAULT_CLUSTER_SETTINGS,
};

export interface PollDeps {
  db: Kysely<Database>;
  fetch: FetchSettings;
  logger: Logger;
  settings?: Partial<PollSettings>;
  /** Identifies this worker in leases; unique per process. */
  owner?: string;
  /** Told after each commit that stored or changed items (published feeds are re-checked). */
  changes?: StoryChanges;
}

export interface PollSummary {
  sources: number;
  fetched: number;
  notModified: number;
  failed: number;
  newItems: number;
  updatedItems: number;
  duplicates: number;
  clusters: number;
}

export interface SourcePollResult {
  sourceId: string;
  status: 'ok' | 'not_modified' | 'error' | 'skipped';
  newItems: number;
  updatedItems: number;
  duplicates: number;
  clusters: number;
  error: { kind: string; message: string } | null;
}

export type PollScope = { kind: 'due' } | { kind: 'all' } | { kind: 'source'; id: string };

export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

class LeaseLostError extends Error {}

export class Poller {
  private readonly settings: PollSettings;
  readonly owner: string;
  private readonly global: LimitFunction;
  private readonly hosts = new Map<string, LimitFunction>();
  /** Hosts that answered 429/503 during this process's life, until when. */
  private readonly blockedHosts = new Map<string, number>();
  /** Keeps the near-duplicate band index between polls. */
  private readonly deduplicator: Deduplicator;
  /** Keeps the story index between polls. */
  private readonly clusterer: Clusterer;

  constructor(private readonly deps: PollDeps) {
    this.settings = { ...DEFAULT_POLL_SETTINGS, ...deps.settings };
    this.owner = deps.owner ?? workerId();
    this.global = pLimit(this.settings.concurrency);
    this.deduplicator = new Deduplicator(this.settings.dedup);
    this.clusterer = new Clusterer(storyWrites, this.settings.cluster);
  }

  /** Polls the due sources (or all, or one) until none is left; stops early when `signal` aborts. */
  async poll(scope: PollScope = { kind: 'due' }, signal?: AbortSignal): Promise<PollSummary> {
    const summary: PollSummary = { sources: 0, fetched: 0, notModified: 0, failed: 0, newItems: 0, updatedItems: 0, duplicates: 0, clusters: 0 };
    const batch = this.settings.concurrency * 4;
    let pending = scope.kind === 'all' ? await allPollableIds(this.deps.db) : scope.kind === 'source' ? [scope.id] : null;
    while (!signal?.aborted) {
      const ids = pending?.slice(0, batch);
      if (pending) pending = pending.slice(batch);
      if (ids && ids.length === 0) break;
      const claimed = await claimSources(this.deps.db, {
        owner: this.owner,
        limit: batch,
        leaseSeconds: this.settings.leaseSeconds,
        ...(ids ? { ids, includePaused: scope.kind === 'source' } : {}),
      });
      if (claimed.length === 0 && !ids) break;
      const results = await Promise.all(claimed.map((source) => this.schedule(source, signal)));
      for (const r of results) {
        if (r.status === 'skipped') continue;
        summary.sources += 1;
        if (r.status === 'ok') summary.fetched += 1;
        if (r.status === 'not_modified') summary.notModified += 1;
        if (r.status === 'error') summary.failed += 1;
        summary.newItems += r.newItems;
        summary.updatedItems += r.updatedItems;
        summary.duplicates += r.duplicates;
        summary.clusters += r.clusters;
      }
    }
    for (const [host, limit] of this.hosts) if (limit.activeCount + limit.pendingCount === 0) this.hosts.delete(host);
    return summary;
  }

  /** Polls one source now, whatever its schedule; null if another worker holds it. */
  async pollOne(sourceId: string): Promise<SourcePollResult | null> {
    const [source] = await claimSources(this.deps.db, {
      owner: this.owner,
      limit: 1,
      leaseSeconds: this.settings.leaseSeconds,
      ids: [sourceId],
      includePaused: true,
    });
    return source ? this.schedule(source) : null;
  }

  private schedule(source: SourceRow, signal?: AbortSignal): Promise<SourcePollResult> {
    let hostLimit = this.hosts.get(source.host);
    if (!hostLimit) {
      hostLimit = pLimit(this.settings.perHost);
      this.hosts.set(source.host, hostLimit);
    }
    // The host queue is outside the global one so that waiting for a busy host holds no global slot.
    return hostLimit(() => this.global(() => this.pollClaimed(source, signal)));
  }

  private async pollClaimed(source: SourceRow, signal?: AbortSignal): Promise<SourcePollResult> {
    const skipped: SourcePollResult = { sourceId: source.id, status: 'skipped', newItems: 0, updatedItems: 0, duplicates: 0, clusters: 0, error: null };
    const blockedUntil = this.blockedHosts.get(source.host);
    if (signal?.aborted || (blockedUntil && blockedUntil > Date.now())) {
      // Give it back untouched: shutting down, or its host asked us to wait.
      await releaseLease(this.deps.db, source.id, this.owner, blockedUntil ? new Date(blockedUntil) : undefined);
      return skipped;
    }
    const started = new Date();
    try {
      return await this.fetchAndStore(source, started, signal);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.deps.logger.warn({ source: source.id }, 'lease lost to another worker; its poll stands');
        return skipped;
      }
      if (signal?.aborted) {
        // Interrupted by shutdown: not the source's fault. Nothing was stored; it is due again.
        await releaseLease(this.deps.db, source.id, this.owner).catch(() => undefined);
        return skipped;
      }
      return this.recordError(source, started, error);
    }
  }

  private async fetchAndStore(source: SourceRow, started: Date, signal?: AbortSignal): Promise<SourcePollResult> {
    const { db, logger } = this.deps;
    const response = await fetchFeed(source.url, { ...this.deps.fetch, etag: source.etag, lastModified: source.last_modified, ...(signal ? { signal } : {}) });
    const weekAgo = new Date(started.getTime() - RATE_WINDOW_DAYS * 86_400_000);
    if (response.status === 304) {
      const recentItems = await countItemsSince(db, source.id, weekAgo);
      const next = this.plan(source, 'not_modified', 0, recentItems, { ...response.hints, ttlMinutes: null });
      await db.transaction().execute(async (trx) => {
        const kept = await finishPoll(trx, source.id, this.owner, { status: 'active', errorCount: 0, lastError: null, success: true, ...next });
        if (!kept) throw new LeaseLostError();
        await recordFetch(trx, this.history(source, started, 'not_modified', 304, 0, 0, 0, null));
      });
      return { sourceId: source.id, status: 'not_modified', newItems: 0, updatedItems: 0, duplicates: 0, clusters: 0, error: null };
    }
    const { feed, hints } = parseFeed({ bytes: response.body, contentType: response.headers['content-type'] ?? null, url: response.url });
    const rows = itemRows(source.id, feed);
    const outcome = await db.transaction().execute(async (trx) => {
      const { stored, duplicates, clusters } = await storeItems(trx, rows, this.deduplicator, this.clusterer);
      const recentItems = await countItemsSince(trx, source.id, weekAgo);
      const next = this.plan(source, 'ok', 0, recentItems, { ...response.hints, ttlMinutes: hints.ttlMinutes });
      // A permanent redirect moves the source — unless another source already has that address.
      const moved = response.permanentUrl && response.permanentUrl !== source.url && !(await findSourceByUrl(trx, response.permanentUrl));
      const kept = await finishPoll(trx, source.id, this.owner, {
        ...(moved ? { url: response.permanentUrl! } : {}),
        status: 'active',
        errorCount: 0,
        lastError: null,
        success: true,
        // Validators are kept only from a full response: a 304 repeats what we already have.
        etag: response.headers.etag ?? null,
        lastModified: response.headers['last-modified'] ?? null,
        title: source.title ? null : feed.title,
        siteUrl: source.site_url ? null : feed.link,
        ...next,
      });
      if (!kept) throw new LeaseLostError();
      await recordFetch(trx, this.history(source, started, 'ok', response.status, response.body.length, stored.inserted.length, stored.updated.length, null));
      return { stored, clusters, duplicates };
    });
    if (outcome.stored.inserted.length > 0 || outcome.stored.updated.length > 0) this.deps.changes?.announce();
    if (feed.warnings.length > 0) logger.debug({ source: source.id, warnings: feed.warnings.slice(0, 5) }, 'feed read with warnings');
    return {
      sourceId: source.id,
      status: 'ok',
      newItems: outcome.stored.inserted.length,
      updatedItems: outcome.stored.updated.length,
      duplicates: outcome.duplicates,
      clusters: outcome.clusters,
      error: null,
    };
  }

  private async recordError(source: SourceRow, started: Date, error: unknown): Promise<SourcePollResult> {
    const { db, logger } = this.deps;
    const kind = error instanceof FetchError || error instanceof FeedParseError ? error.kind : 'internal';
    const message = messageOf(error);
    const status = error instanceof FetchError ? error.status : null;
    const hints: ServerHints = error instanceof FetchError ? { ...error.hints, ttlMinutes: null } : { retryAfterSeconds: null, maxAgeSeconds: null, ttlMinutes: null };
    const errorCount = source.error_count + 1;
    if (kind === 'internal') logger.error({ err: error, source: source.id }, 'poll failed unexpectedly');
    else logger.info({ source: source.id, kind, message }, 'poll failed');
    if (status === 429 || status === 503) {
      const seconds = hostBackoffSeconds(hints.retryAfterSeconds, this.settings.schedule);
      const until = new Date(Date.now() + seconds * 1000);
      this.blockedHosts.set(source.host, until.getTime());
      await blockHost(db, source.host, until, `HTTP ${status} from ${source.url}`).catch((e: unknown) =>
        logger.warn({ err: e }, 'could not record host backoff'),
      );
    }
    const next = this.plan(source, 'error', errorCount, 0, hints);
    try {
      await db.transaction().execute(async (trx) => {
        const kept = await finishPoll(trx, source.id, this.owner, {
          status: errorCount >= FAILING_AFTER_ERRORS ? 'failing' : 'active',
          errorCount,
          lastError: `${kind}: ${message}`.slice(0, 1000),
          success: false,
          ...next,
        });
        if (!kept) throw new LeaseLostError();
        await recordFetch(trx, this.history(source, started, 'error', status, null, 0, 0, { kind, message }));
      });
    } catch (recordingError) {
      // The lease expires and the source is polled again; nothing is lost.
      if (!(recordingError instanceof LeaseLostError)) logger.error({ err: recordingError, source: source.id }, 'could not record poll error');
    }
    return { sourceId: source.id, status: 'error', newItems: 0, updatedItems: 0, duplicates: 0, clusters: 0, error: { kind, message } };
  }

  private plan(source: SourceRow, kind: 'ok' | 'not_modified' | 'error', errorCount: number, recentItems: number, hints: ServerHints) {
    return planNextPoll({ kind, errorCount, recentItems, previousIntervalSeconds: source.poll_interval_seconds, hints }, this.settings.schedule);
  }

  private history(
    source: SourceRow,
    started: Date,
    status: 'ok' | 'not_modified' | 'error',
    httpStatus: number | null,
    bytes: number | null,
    itemsNew: number,
    itemsUpdated: number,
    error: { kind: string; message: string } | null,
  ) {
    return {
      sourceId: source.id,
      startedAt: started,
      durationMs: Date.now() - started.getTime(),
      status,
      httpStatus,
      bytes,
      itemsNew,
      itemsUpdated,
      errorKind: error?.kind ?? null,
      errorMessage: error?.message ?? null,
    };
  }
}
