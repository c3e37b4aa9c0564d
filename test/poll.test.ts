// Polling against a real HTTP server on 127.0.0.1 and a real database, on every engine.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import { Poller } from '../src/ingest/poller.js';
import { silentLogger } from '../src/log/logger.js';
import { engines, openTestDatabase } from './helpers/databases.js';
import { testFetch as fetch, useTestEnvironment } from './helpers/environment.js';
import { rssFeed } from './helpers/feed-xml.js';

const rss = (items: Array<{ guid: string; title: string; date?: string }>) =>
  rssFeed({
    title: 'Wire desk',
    link: 'https://wire.example/',
    items: items.map((i) => ({
      title: i.title,
      guid: i.guid,
      guidIsPermaLink: false,
      link: `https://wire.example/${i.guid}`,
      published: i.date ?? new Date(),
      description: `Report on ${i.title}`,
    })),
  });

describe.each(engines)('polling on %s', (engine) => {
  const env = useTestEnvironment(engine, { feeds: true, reset: true });

  const addSource = async (path: string, extra: Record<string, unknown> = {}) =>
    (
      await env.db
        .insertInto('sources')
        .values({ url: env.server.url(path), host: '127.0.0.1', ...extra })
        .returningAll()
        .executeTakeFirstOrThrow()
    ).id;
  const poller = (settings = {}) => new Poller({ db: env.db, fetch, logger: silentLogger(), settings });
  const source = (id: string) => env.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const makeDue = (id: string) => env.db.updateTable('sources').set({ next_poll_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();

  it('stores a feed once, then asks conditionally and gets 304', async () => {
    const body = rss([
      { guid: 'a1', title: 'Allies agree spending pledge' },
      { guid: 'a2', title: 'Summit closes in Brussels' },
    ]);
    env.server.route('/etag.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/rss+xml' }).end(body);
    });
    const id = await addSource('/etag.xml');
    const first = await poller().poll();
    expect(first).toMatchObject({ sources: 1, fetched: 1, notModified: 0, failed: 0, newItems: 2, clusters: 2 });
    const row = await source(id);
    expect(row).toMatchObject({ etag: '"v1"', status: 'active', error_count: 0, lease_owner: null, title: 'Wire desk' });
    expect(row.next_poll_at.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);

    // Not due: nothing happens.
    expect((await poller().poll()).sources).toBe(0);
    await makeDue(id);
    const second = await poller().poll();
    expect(second).toMatchObject({ sources: 1, fetched: 0, notModified: 1, newItems: 0 });
    expect(env.server.requests.at(-1)!.headers['if-none-match']).toBe('"v1"');
    const items = await env.db.selectFrom('items').select(['guid', 'cluster_id']).orderBy('guid').execute();
    expect(items.map((i) => i.guid)).toEqual(['a1', 'a2']);
    expect(items.every((i) => i.cluster_id !== null)).toBe(true);
  });

  it('updates a changed item instead of duplicating it, and keeps its publication date', async () => {
    let title = 'Original headline';
    env.server.route('/changing.xml', (_req, res) => res.writeHead(200).end(rss([{ guid: 'c1', title, date: 'Wed, 11 Jul 2018 10:00:00 GMT' }])));
    const id = await addSource('/changing.xml');
    await poller().poll();
    title = 'Corrected headline';
    await makeDue(id);
    expect(await poller().poll()).toMatchObject({ newItems: 0, updatedItems: 1 });
    await makeDue(id);
    expect(await poller().poll()).toMatchObject({ newItems: 0, updatedItems: 0 });
    const items = await env.db.selectFrom('items').select(['title', 'published_at']).execute();
    expect(items).toEqual([{ title: 'Corrected headline', published_at: new Date('2018-07-11T10:00:00Z') }]);
  });

  it('backs off a failing source, marks it failing, and keeps retrying it', async () => {
    env.server.route('/broken.xml', { status: 500, body: 'oops' });
    const id = await addSource('/broken.xml');
    const intervals: number[] = [];
    for (let i = 0; i < 4; i++) {
      await makeDue(id);
      expect(await poller().poll()).toMatchObject({ sources: 1, failed: 1 });
      intervals.push((await source(id)).poll_interval_seconds);
    }
    const row = await source(id);
    expect(row).toMatchObject({ status: 'failing', error_count: 4, last_error: 'http_status: HTTP 500' });
    // Exponential, within ±10% jitter: 5, 10, 20, 40 minutes.
    [300, 600, 1200, 2400].forEach((expected, i) => {
      expect(intervals[i]).toBeGreaterThanOrEqual(Math.max(300, expected * 0.9));
      expect(intervals[i]).toBeLessThanOrEqual(expected * 1.1);
    });
    const history = await env.db.selectFrom('fetch_history').selectAll().where('source_id', '=', id).execute();
    expect(history).toHaveLength(4);
    expect(history[0]).toMatchObject({ status: 'error', http_status: 500, error_kind: 'http_status' });

    env.server.route('/broken.xml', { body: rss([{ guid: 'r1', title: 'Back online' }]) });
    await makeDue(id);
    expect(await poller().poll()).toMatchObject({ fetched: 1, newItems: 1 });
    expect(await source(id)).toMatchObject({ status: 'active', error_count: 0, last_error: null });
  });

  it('records garbage and HTML as errors without stopping the other sources', async () => {
    env.server.route('/html.xml', { headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>Not a feed</body></html>' });
    env.server.route('/good.xml', { body: rss([{ guid: 'g1', title: 'Good item' }]) });
    const bad = await addSource('/html.xml');
    await addSource('/good.xml');
    expect(await poller().poll()).toMatchObject({ sources: 2, fetched: 1, failed: 1, newItems: 1 });
    expect((await source(bad)).last_error).toBe('html: the document is an HTML page, not a feed');
  });

  it('slows every source on a host that answers 503 with Retry-After', async () => {
    env.server.route('/busy.xml', { status: 503, headers: { 'retry-after': '3600' }, body: 'busy' });
    env.server.route('/same-host.xml', { body: rss([{ guid: 's1', title: 'Same host' }]) });
    const busy = await addSource('/busy.xml');
    const other = await addSource('/same-host.xml', { next_poll_at: new Date(Date.now() - 60_000) });
    // One at a time per host, so the 503 is seen before the other source is fetched.
    expect(await poller({ perHost: 1 }).poll()).toMatchObject({ sources: 1, failed: 1 });
    expect(env.server.requests.map((r) => r.path)).toEqual(['/busy.xml']);
    const block = await env.db.selectFrom('hosts').selectAll().executeTakeFirstOrThrow();
    expect(block.blocked_until.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect((await source(busy)).next_poll_at.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    // A new worker (another process) honours the block too.
    expect((await poller().poll()).sources).toBe(0);
    expect((await source(other)).lease_owner).toBeNull();
  });

  it('takes over the lease of a crashed worker, and never steals a live one', async () => {
    env.server.route('/leased.xml', { body: rss([{ guid: 'l1', title: 'Leased' }]) });
    const dead = await addSource('/leased.xml', { lease_owner: 'crashed-worker', lease_expires_at: new Date(Date.now() - 1000) });
    expect(await poller().poll()).toMatchObject({ sources: 1, newItems: 1 });
    await makeDue(dead);
    await env.db.updateTable('sources').set({ lease_owner: 'live-worker', lease_expires_at: new Date(Date.now() + 60_000) }).execute();
    expect((await poller().poll()).sources).toBe(0);
    expect(await poller().pollOne(dead)).toBeNull();
  });

  it('leaves nothing half-stored when storing fails midway, and converges on the next run', async () => {
    env.server.route('/atomic.xml', {
      body: rss([
        { guid: 't1', title: 'First' },
        { guid: 't2', title: 'BOOM' },
        { guid: 't3', title: 'Third' },
      ]),
    });
    const id = await addSource('/atomic.xml');
    // A database failure in the middle of the store transaction (after the items are written).
    await sql`create or replace function feedloom_test_boom() returns trigger language plpgsql as $$
      begin if new.label = 'BOOM' then raise exception 'simulated crash'; end if; return new; end $$`.execute(env.db);
    await sql`create trigger feedloom_test_boom before insert on clusters for each row execute function feedloom_test_boom()`.execute(env.db);
    try {
      expect(await poller().poll()).toMatchObject({ failed: 1, newItems: 0 });
      expect(await env.db.selectFrom('items').select('id').execute()).toEqual([]);
      expect(await env.db.selectFrom('clusters').select('id').execute()).toEqual([]);
      expect((await source(id)).last_error).toMatch(/simulated crash/);
    } finally {
      await sql`drop trigger feedloom_test_boom on clusters`.execute(env.db);
    }
    await makeDue(id);
    expect(await poller().poll()).toMatchObject({ fetched: 1, newItems: 3, clusters: 3 });
    await makeDue(id);
    expect(await poller().poll()).toMatchObject({ newItems: 0 });
    expect((await env.db.selectFrom('items').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n).toBe(3);
  });

  it('follows a permanent redirect to the new address, unless another source has it', async () => {
    env.server.route('/old.xml', { status: 301, headers: { location: '/new.xml' } });
    env.server.route('/new.xml', { body: rss([{ guid: 'm1', title: 'Moved' }]) });
    env.server.route('/old2.xml', { status: 308, headers: { location: '/new.xml' } });
    const moved = await addSource('/old.xml');
    expect(await poller().poll()).toMatchObject({ fetched: 1, newItems: 1 });
    expect((await source(moved)).url).toBe(env.server.url('/new.xml'));
    const blocked = await addSource('/old2.xml');
    expect(await poller().poll()).toMatchObject({ fetched: 1, failed: 0 });
    expect((await source(blocked)).url).toBe(env.server.url('/old2.xml'));
  });

  it('polls all sources or one on request, paused ones only when asked by id', async () => {
    env.server.route('/p1.xml', { body: rss([{ guid: 'p1', title: 'One' }]) });
    env.server.route('/p2.xml', { body: rss([{ guid: 'p2', title: 'Two' }]) });
    const later = new Date(Date.now() + 3600_000);
    await addSource('/p1.xml', { next_poll_at: later });
    const paused = await addSource('/p2.xml', { status: 'paused' });
    expect(await poller().poll({ kind: 'due' })).toMatchObject({ sources: 0 });
    expect(await poller().poll({ kind: 'all' })).toMatchObject({ sources: 1, newItems: 1 });
    expect(await poller().poll({ kind: 'source', id: paused })).toMatchObject({ sources: 1, newItems: 1 });
    expect((await source(paused)).status).toBe('paused');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two workers on one PostgreSQL', () => {
  const env = useTestEnvironment('postgres', { feeds: true });
  // The second worker's own connection pool.
  let b: DatabaseHandle;
  beforeAll(async () => {
    b = await openTestDatabase(env.database);
  });
  afterAll(async () => b?.close());

  // A thousand fetches and stores, racing: over half a minute on a busy machine.
  it('never fetch the same source twice over 1,000 sources', { timeout: 180_000 }, async () => {
    const { handle: a, server } = env;
    const count = 1000;
    for (let i = 0; i < count; i++) server.route(`/s/${i}.xml`, { headers: { etag: `"e${i}"` }, body: rss([{ guid: `g${i}`, title: `Story ${i}` }]) });
    const rows = Array.from({ length: count }, (_, i) => ({ url: server.url(`/s/${i}.xml`), host: `host${i % 50}.example` }));
    for (let i = 0; i < rows.length; i += 250) await a.db.insertInto('sources').values(rows.slice(i, i + 250)).execute();
    const make = (handle: DatabaseHandle) => new Poller({ db: handle.db, fetch, logger: silentLogger(), settings: { concurrency: 8 } });
    const [one, two] = await Promise.all([make(a).poll(), make(b).poll()]);
    const fetched = server.requests.map((r) => r.path);
    expect(fetched).toHaveLength(count);
    expect(new Set(fetched).size).toBe(count);
    expect(one.sources + two.sources).toBe(count);
    // Both workers did real work.
    expect(Math.min(one.sources, two.sources)).toBeGreaterThan(50);
    const stored = await a.db.selectFrom('items').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(stored.n).toBe(count);
  });
});
