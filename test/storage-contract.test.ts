// The storage contract: the same cases on every engine (PGlite always, PostgreSQL when
// TEST_DATABASE_URL is set). If a query works on one engine and not the other, it fails here.
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { pruneOnce } from '../src/retention/retention.js';
import { UserError } from '../src/errors.js';
import * as sources from '../src/sources/sources.js';
import * as topics from '../src/topics/topics.js';
import { engines } from './helpers/databases.js';
import { useTestEnvironment } from './helpers/environment.js';

// Written as records so that the compiler insists every column of the kysely types is listed.
const columns: { [T in keyof Database]: Record<keyof Database[T], true> } = {
  sources: {
    id: true, url: true, host: true, title: true, site_url: true, description: true, status: true, preferred: true,
    created_at: true, updated_at: true, next_poll_at: true, poll_interval_seconds: true, last_polled_at: true,
    last_success_at: true, etag: true, last_modified: true, error_count: true, last_error: true, lease_owner: true,
    lease_expires_at: true,
  },
  items: {
    id: true, source_id: true, guid: true, url: true, canonical_url: true, title: true, summary: true, content: true,
    author: true, lang: true, enclosures: true, categories: true, published_at: true, updated_at: true, fetched_at: true,
    content_hash: true, minhash: true, duplicate_of: true, duplicate_reason: true, duplicate_similarity: true,
    cluster_id: true, cluster_similarity: true, cluster_reason: true, search: true,
  },
  clusters: {
    id: true, label: true, terms: true, status: true, merged_into: true, created_at: true, updated_at: true,
    first_published_at: true, last_published_at: true, item_count: true, source_count: true,
  },
  topics: { slug: true, title: true, description: true, query: true, created_at: true, updated_at: true },
  fetch_history: {
    id: true, source_id: true, started_at: true, duration_ms: true, status: true, http_status: true, bytes: true,
    items_new: true, items_updated: true, error_kind: true, error_message: true,
  },
  hosts: { host: true, blocked_until: true, reason: true, updated_at: true },
  dedup_log: { seq: true, item_id: true, logged_at: true },
};

const noFetch = { userAgent: 'feedloom-test', allowPrivateNetworks: true };

describe.each(engines)('storage contract on %s', (engine) => {
  const env = useTestEnvironment(engine, { reset: true });
  let db: DatabaseHandle['db'];
  beforeAll(() => {
    db = env.db;
  });

  async function source(url = 'https://wire.example/feed.xml') {
    return sources.addSource(db, noFetch, { url, validate: false });
  }
  async function item(sourceId: string, guid: string, extra: Partial<Record<string, unknown>> = {}) {
    return db
      .insertInto('items')
      .values({ source_id: sourceId, guid, title: `Item ${guid}`, ...extra })
      .returning(['id', 'fetched_at'])
      .executeTakeFirstOrThrow();
  }

  it('reports the engine it runs on', () => {
    expect(env.handle.engine).toBe(engine);
  });

  it('has exactly the columns the kysely types describe', async () => {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and table_name in ('sources', 'items', 'clusters', 'topics', 'fetch_history', 'hosts', 'dedup_log')
    `.execute(db);
    for (const [table, expected] of Object.entries(columns)) {
      const actual = rows.rows.filter((r) => r.table_name === table).map((r) => r.column_name).sort();
      expect(actual, table).toEqual(Object.keys(expected).sort());
    }
  });

  it('migrating again applies nothing and keeps data', async () => {
    const s = await source();
    const report = await migrateToLatest(db);
    expect(report.applied).toEqual([]);
    expect(report.current).toEqual(['0001_initial', '0002_hosts', '0003_dedup', '0004_dedup_log']);
    expect((await sources.getSource(db, s.id)).url).toBe(s.url);
  });

  it('stores sources with scheduling defaults and the public JSON shape', async () => {
    const before = Date.now();
    const s = await sources.addSource(db, noFetch, { url: ' https://Wire.Example/feed.xml#top ', title: 'Wire', validate: false });
    expect(s).toMatchObject({
      url: 'https://wire.example/feed.xml',
      title: 'Wire',
      siteUrl: null,
      status: 'active',
      lastPolledAt: null,
      lastError: null,
      errorCount: 0,
      itemCount: 0,
    });
    expect(s.id).toMatch(/^\d+$/);
    expect(Date.parse(s.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
    // A new source is due at once.
    expect(Date.parse(s.nextPollAt!)).toBeLessThanOrEqual(Date.now() + 1_000);
    const row = await db.selectFrom('sources').select(['host', 'poll_interval_seconds']).executeTakeFirstOrThrow();
    expect(row).toEqual({ host: 'wire.example', poll_interval_seconds: 900 });
  });

  it('refuses a second source with the same URL, and bad URLs, with clear errors', async () => {
    const s = await source();
    await expect(source()).rejects.toThrow(`already exists (id ${s.id})`);
    await expect(sources.addSource(db, noFetch, { url: 'ftp://x.example/f', validate: false })).rejects.toThrow(/http or https/);
    await expect(sources.addSource(db, noFetch, { url: 'not a url', validate: false })).rejects.toThrow(/not a valid URL/);
    await expect(sources.addSource(db, noFetch, { url: 'https://u:p@x.example/f', validate: false })).rejects.toThrow(/password/);
    expect(await sources.listSources(db)).toHaveLength(1);
  });

  it('counts items per source and pages sources by id', async () => {
    const a = await source('https://a.example/rss');
    const b = await source('https://b.example/rss');
    await item(a.id, 'g1');
    await item(a.id, 'g2');
    const list = await sources.listSources(db);
    expect(list.map((s) => [s.url, s.itemCount])).toEqual([
      ['https://a.example/rss', 2],
      ['https://b.example/rss', 0],
    ]);
    expect((await sources.listSources(db, 1, a.id)).map((s) => s.id)).toEqual([b.id]);
  });

  it('enforces one item per (source, guid) but allows the same guid in two sources', async () => {
    const a = await source('https://a.example/rss');
    const b = await source('https://b.example/rss');
    await item(a.id, 'urn:story:1');
    await item(b.id, 'urn:story:1');
    await expect(item(a.id, 'urn:story:1')).rejects.toThrow(/unique|duplicate/i);
    // Upsert by (source, guid) is how polling stays idempotent.
    await db
      .insertInto('items')
      .values({ source_id: a.id, guid: 'urn:story:1', title: 'Changed title' })
      .onConflict((oc) => oc.columns(['source_id', 'guid']).doUpdateSet({ title: (eb) => eb.ref('excluded.title') }))
      .execute();
    const rows = await db.selectFrom('items').select(['source_id', 'title']).where('guid', '=', 'urn:story:1').orderBy('id').execute();
    expect(rows.map((r) => r.title)).toEqual(['Changed title', 'Item urn:story:1']);
  });

  it('rolls back a failed transaction completely', async () => {
    const a = await source();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ source_id: a.id, guid: 'x1' }).execute();
        await trx.insertInto('items').values({ source_id: a.id, guid: 'x1' }).execute();
      }),
    ).rejects.toThrow();
    const count = await db.selectFrom('items').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
  });

  it('searches titles and text with stemming, in English and Russian', async () => {
    const a = await source();
    await item(a.id, 'en', { title: 'Leaders meeting in Helsinki', summary: 'The presidents met for talks.', lang: 'en' });
    await item(a.id, 'ru', { title: 'Встреча Путина и Трампа в Хельсинки', summary: 'Президенты провели переговоры.', lang: 'ru' });
    await item(a.id, 'xx', { title: 'Unrelated football result', lang: null });
    const find = async (config: string, query: string) =>
      (
        await db
          .selectFrom('items')
          .select('guid')
          .where(sql<boolean>`search @@ websearch_to_tsquery(${sql.lit(config)}::regconfig, ${query})`)
          .orderBy('guid')
          .execute()
      ).map((r) => r.guid);
    expect(await find('english', 'meetings')).toEqual(['en']);
    expect(await find('english', 'talk')).toEqual(['en']);
    expect(await find('russian', 'встречи')).toEqual(['ru']);
    expect(await find('russian', 'переговоров')).toEqual(['ru']);
  });

  it('does not fail on an item whose text is larger than a tsvector can hold', async () => {
    const a = await source();
    const words = Array.from({ length: 300_000 }, (_, i) => `w${i.toString(36)}`).join(' ');
    await item(a.id, 'huge', { content: words });
    expect((await sources.listSources(db))[0]!.itemCount).toBe(1);
  });

  it('removing a source removes its items and history, not its stories', async () => {
    const a = await source('https://a.example/rss');
    const b = await source('https://b.example/rss');
    const cluster = await db.insertInto('clusters').values({ label: 'Summit' }).returning('id').executeTakeFirstOrThrow();
    await item(a.id, 'a1', { cluster_id: cluster.id });
    const kept = await item(b.id, 'b1', { cluster_id: cluster.id });
    await db
      .insertInto('fetch_history')
      .values({ source_id: a.id, started_at: new Date(), duration_ms: 12, status: 'ok', http_status: 200, bytes: 100 })
      .execute();
    await sources.removeSource(db, a.id);
    expect((await db.selectFrom('items').select('id').execute()).map((r) => r.id)).toEqual([kept.id]);
    expect(await db.selectFrom('fetch_history').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('clusters').select('id').execute()).toHaveLength(1);
    await expect(sources.removeSource(db, a.id)).rejects.toThrow(`no source with id ${a.id}`);
    await expect(sources.removeSource(db, 'abc')).rejects.toBeInstanceOf(UserError);
  });

  it('pauses, renames and marks a source preferred', async () => {
    const a = await source();
    const paused = await sources.updateSource(db, a.id, { status: 'paused', title: '  Wire desk ', preferred: true });
    expect(paused).toMatchObject({ status: 'paused', title: 'Wire desk', nextPollAt: null });
    const row = await db.selectFrom('sources').select('preferred').executeTakeFirstOrThrow();
    expect(row.preferred).toBe(true);
    await expect(sources.updateSource(db, '999', { status: 'active' })).rejects.toThrow('no source with id 999');
  });

  it('imports nested OPML outlines, skipping duplicates and reporting failures, and exports them back', async () => {
    await source('https://baltic-ledger.example/feed.atom');
    const { readFile } = await import('node:fs/promises');
    const xml = await readFile(new URL('./fixtures/newsroom.opml', import.meta.url), 'utf8');
    const report = await sources.importOpml(db, xml);
    expect(report.added.map((a) => a.url)).toEqual([
      'https://northsea-courier.example/world/rss.xml',
      'https://hep.example/news/feed.json',
    ]);
    expect(report.skipped.map((s) => s.url)).toEqual([
      'https://baltic-ledger.example/feed.atom',
      'https://northsea-courier.example/world/rss.xml',
    ]);
    expect(report.failed).toEqual([{ url: 'ftp://files.example/feed.xml', error: expect.stringMatching(/http or https/) }]);
    const again = await sources.importOpml(db, xml);
    expect(again.added).toEqual([]);
    expect(again.skipped).toHaveLength(4);

    const exported = await sources.exportOpml(db);
    const { parseOpml } = await import('../src/opml/opml.js');
    const back = parseOpml(exported);
    expect(back.feeds.map((f) => [f.url, f.title, f.siteUrl])).toEqual([
      ['https://baltic-ledger.example/feed.atom', null, null],
      ['https://northsea-courier.example/world/rss.xml', 'Northsea Courier', 'https://northsea-courier.example/world'],
      ['https://hep.example/news/feed.json', 'Helsinki Evening Post', 'https://hep.example/'],
    ]);
  });

  it('keeps every source when OPML is malformed', async () => {
    await source();
    await expect(sources.importOpml(db, '<opml><body><outline xmlUrl="x"')).rejects.toThrow(/cannot import OPML/);
    await expect(sources.importOpml(db, '<rss version="2.0"/>')).rejects.toThrow(/no <opml> root/);
    expect(await sources.listSources(db)).toHaveLength(1);
  });

  it('adds, updates, lists and removes topics', async () => {
    await topics.addTopic(db, { slug: 'nato', title: 'NATO', query: 'nato AND summit' });
    await topics.addTopic(db, { slug: 'helsinki-2018', title: 'Helsinki', query: '"helsinki summit"', description: 'Putin and Trump' });
    await expect(topics.addTopic(db, { slug: 'nato', title: 'x', query: 'y' })).rejects.toThrow(/already exists/);
    await expect(topics.addTopic(db, { slug: 'Bad Slug', title: 'x', query: 'y' })).rejects.toThrow(/invalid topic slug/);
    await expect(topics.addTopic(db, { slug: 'all', title: 'x', query: 'y' })).rejects.toThrow(/built in/);
    await expect(topics.addTopic(db, { slug: 'empty', title: 'x', query: '  ' })).rejects.toThrow(/needs a query/);
    const updated = await topics.updateTopic(db, 'nato', { query: 'nato AND (summit OR brussels)' });
    expect(updated.query).toBe('nato AND (summit OR brussels)');
    expect((await topics.listTopics(db)).map((t) => t.slug)).toEqual(['helsinki-2018', 'nato']);
    await topics.removeTopic(db, 'nato');
    await expect(topics.removeTopic(db, 'nato')).rejects.toThrow(/no topic "nato"/);
    expect((await topics.listTopics(db)).map((t) => t.slug)).toEqual(['helsinki-2018']);
  });

  it('retention prunes old items, then empty stories and old history, and nothing else', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const a = await source();
    const oldStory = await db.insertInto('clusters').values({ label: 'old' }).returning('id').executeTakeFirstOrThrow();
    const liveStory = await db.insertInto('clusters').values({ label: 'live', last_published_at: days(10) }).returning('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 7; i++) await item(a.id, `old${i}`, { published_at: days(200), cluster_id: oldStory.id });
    await item(a.id, 'undated-old', { published_at: null, fetched_at: days(181) });
    await item(a.id, 'mixed-new', { published_at: days(10), cluster_id: liveStory.id });
    await item(a.id, 'undated-new', { published_at: null, fetched_at: days(1) });
    await db
      .insertInto('fetch_history')
      .values([
        { source_id: a.id, started_at: days(40), duration_ms: 1, status: 'ok' },
        { source_id: a.id, started_at: days(2), duration_ms: 1, status: 'not_modified' },
      ])
      .execute();
    await topics.addTopic(db, { slug: 'kept', title: 'Kept', query: 'x' });

    const report = await pruneOnce(db, { retentionDays: 180, batchSize: 3 }, undefined, now);
    expect(report).toEqual({ items: 8, clusters: 1, fetchHistory: 1, closed: 1 });
    expect((await db.selectFrom('items').select('guid').orderBy('guid').execute()).map((r) => r.guid)).toEqual([
      'mixed-new',
      'undated-new',
    ]);
    expect(await db.selectFrom('clusters').select(['label', 'status']).execute()).toEqual([{ label: 'live', status: 'closed' }]);
    expect(await sources.listSources(db)).toHaveLength(1);
    expect(await topics.listTopics(db)).toHaveLength(1);
  });
});
