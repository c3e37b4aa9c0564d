// Published feeds follow the data: served from memory until a change is announced, and announced by
// every writer — the poller, admin requests, and (on PostgreSQL) other processes through NOTIFY.
// With WEBSUB_HUB the feeds name the hub, and the hub is pinged for exactly the feeds that changed.
import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Poller } from '../src/ingest/poller.js';
import { silentLogger } from '../src/log/logger.js';
import { StoryChanges, listenForStoryChanges, noticeOtherProcesses } from '../src/publish/story-changes.js';
import { WebSubPublisher } from '../src/publish/websub.js';
import { listTopics } from '../src/topics/topics.js';
import { engines } from './helpers/databases.js';
import { testFetch as fetchSettings, useTestEnvironment } from './helpers/environment.js';
import { rssFeed } from './helpers/feed-xml.js';

const PUBLIC = 'https://stories.example/news';
const TOKEN = 'admin-secret';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toUTCString();

const rss = (name: string, items: Array<{ guid: string; title: string; text: string; hours: number }>) =>
  rssFeed({
    title: name,
    link: `https://${name}.example/`,
    items: items.map((i) => ({ guid: i.guid, title: i.title, link: `https://${name}.example/${i.guid}`, published: hoursAgo(i.hours), description: i.text })),
  });

const HARBOUR = { guid: 'h1', title: 'Harbour strike ends after pay deal', text: 'Dock workers in the harbour accepted a pay deal on Monday, ending a strike that had idled cranes for nine days.', hours: 5 };
const BRIDGE = { guid: 'b1', title: 'Storm closes the coastal bridge', text: 'The coastal bridge was closed to traffic on Monday night as a storm brought gusts of over 120 km/h to the region.', hours: 2 };

/** Waits until `condition` holds (events arrive asynchronously: notices, reconnects). */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(engines)('feeds follow changes on %s', (engine) => {
  const env = useTestEnvironment(engine, { feeds: true, reset: true, app: { adminToken: TOKEN, publicUrl: PUBLIC, hub: (server) => server.url('/hub') } });
  const { changes } = env;
  const hubRequests: URLSearchParams[] = [];
  let hubStatus = 204;

  beforeAll(() => {
    env.server.route('/hub', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        hubRequests.push(new URLSearchParams(body));
        res.writeHead(hubStatus).end();
      });
    });
  });
  beforeEach(() => {
    changes.announce();
    hubRequests.length = 0;
    hubStatus = 204;
  });

  const source = async (name: string, items: Parameters<typeof rss>[1]) => {
    env.server.route(`/${name}.xml`, { body: rss(name, items) });
    return (await env.db.insertInto('sources').values({ url: env.server.url(`/${name}.xml`), host: `${name}.example`, title: name }).returning('id').executeTakeFirstOrThrow()).id;
  };
  const poller = () => new Poller({ db: env.db, fetch: fetchSettings, logger: silentLogger(), changes });
  const titles = async (path: string) => ((await env.app.inject(path)).json().items as Array<{ title: string }>).map((i) => i.title);

  it('shows what the poller stored at once, and keeps the ETag of feeds it did not change', async () => {
    await env.app.inject({ method: 'POST', url: '/api/topics', headers: { authorization: `Bearer ${TOKEN}` }, payload: { slug: 'storms', title: 'Storms', query: 'storm OR gale' } });
    const harbour = await source('harbour', [HARBOUR]);
    await poller().poll({ kind: 'source', id: harbour });
    expect(await titles('/feeds/all.json')).toEqual([HARBOUR.title]);
    const storms = await env.app.inject('/feeds/storms.atom');
    expect(await titles('/feeds/storms.json')).toEqual([]);
    const bridge = await source('bridge', [BRIDGE]);
    await poller().poll({ kind: 'source', id: bridge });
    expect(await titles('/feeds/all.json')).toEqual([BRIDGE.title, HARBOUR.title]);
    expect(await titles('/feeds/storms.json')).toEqual([BRIDGE.title]);
    expect(storms.headers.etag).not.toBe((await env.app.inject('/feeds/storms.atom')).headers.etag);
    // An announcement that changed nothing a feed shows leaves its bytes and validator as they were;
    // any change to what it shows (here an outlet's name) renders it again.
    const before = await env.app.inject('/feeds/all.rss');
    changes.announce();
    expect((await env.app.inject('/feeds/all.rss')).headers.etag).toBe(before.headers.etag);
    await env.db.updateTable('sources').set({ title: 'Bridge Daily' }).where('id', '=', bridge).execute();
    changes.announce();
    const renamed = await env.app.inject('/feeds/all.rss');
    expect(renamed.headers.etag).not.toBe(before.headers.etag);
    expect(renamed.body).toContain('Bridge Daily');
  });

  it('shows admin changes at once: a topic’s new title and query', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    await source('harbour', [HARBOUR]).then((id) => poller().poll({ kind: 'source', id }));
    await env.app.inject({ method: 'POST', url: '/api/topics', headers: auth, payload: { slug: 'port', title: 'Port news', query: 'harbour' } });
    expect((await env.app.inject('/feeds/port.json')).json()).toMatchObject({ title: 'Port news', items: [{ title: HARBOUR.title }] });
    const updated = await env.app.inject({ method: 'PATCH', url: '/api/topics/port', headers: auth, payload: { title: 'Port and bridge', query: 'bridge' } });
    expect(updated.statusCode).toBeLessThan(300);
    expect((await env.app.inject('/feeds/port.json')).json()).toMatchObject({ title: 'Port and bridge', items: [] });
    expect((await env.app.inject({ method: 'DELETE', url: '/api/topics/port', headers: auth })).statusCode).toBeLessThan(300);
    expect((await env.app.inject('/feeds/port.json')).statusCode).toBe(404);
  });

  it('answers cached feeds over HTTP the same way before and after Fastify routes them', async () => {
    await poller().poll({ kind: 'source', id: await source('harbour', [HARBOUR]) });
    const base = await env.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // The first request renders (through Fastify); the next ones are answered from the cache.
      const first = await fetch(`${base}/feeds/all.rss`);
      const cached = await fetch(`${base}/feeds/all.rss?utm_source=reader`);
      for (const res of [first, cached]) {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      }
      const body = await first.text();
      expect(await cached.text()).toBe(body);
      expect(cached.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(cached.headers.get('last-modified')).toBe(first.headers.get('last-modified'));
      expect(Number(cached.headers.get('content-length'))).toBe(Buffer.byteLength(body));
      const etag = first.headers.get('etag')!;
      const notModified = await fetch(`${base}/feeds/all.rss`, { headers: { 'if-none-match': etag } });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect((await fetch(`${base}/feeds/all.rss`, { headers: { 'if-modified-since': first.headers.get('last-modified')! } })).status).toBe(304);
      // A compressing proxy weakens the ETag; the weak form still matches, a different tag does not.
      expect((await fetch(`${base}/feeds/all.rss`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
      expect((await fetch(`${base}/feeds/all.rss`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
      const head = await fetch(`${base}/feeds/all.rss`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
      // After a change the stale copy is not served, and unknown feeds are Fastify's 404.
      await poller().poll({ kind: 'source', id: await source('bridge', [BRIDGE]) });
      const changed = await fetch(`${base}/feeds/all.rss`, { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(await changed.text()).toContain(BRIDGE.title);
      const missing = await fetch(`${base}/feeds/nothing.rss`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await env.app.server.close();
    }
  });

  it('names the hub and itself in every format', async () => {
    const hub = env.server.url('/hub');
    const atom = (await env.app.inject('/feeds/all.atom')).body;
    expect(atom).toContain(`<link rel="hub" href="${hub}"/>`);
    expect(atom).toContain(`<link rel="self" href="${PUBLIC}/feeds/all.atom"/>`);
    const rssBody = (await env.app.inject('/feeds/all.rss')).body;
    expect(rssBody).toMatch(new RegExp(`<atom:link [^>]*rel="hub"[^>]*href="${hub}"|<atom:link [^>]*href="${hub}"[^>]*rel="hub"`));
    expect(rssBody).toMatch(new RegExp(`<atom:link [^>]*href="${PUBLIC}/feeds/all.rss"[^>]*rel="self"|<atom:link [^>]*rel="self"[^>]*href="${PUBLIC}/feeds/all.rss"`));
    expect((await env.app.inject('/feeds/all.json')).json()).toMatchObject({ feed_url: `${PUBLIC}/feeds/all.json`, hubs: [{ type: 'WebSub', url: hub }] });
  });

  it('pings the hub for the feeds that changed, and retries a refused ping', async () => {
    await env.app.inject({ method: 'POST', url: '/api/topics', headers: { authorization: `Bearer ${TOKEN}` }, payload: { slug: 'storms', title: 'Storms', query: 'storm' } });
    const websub = new WebSubPublisher({
      hub: env.server.url('/hub'),
      feeds: env.feeds,
      topicSlugs: async () => ['all', ...(await listTopics(env.db)).map((t) => t.slug)],
      changes,
      logger: silentLogger(),
      userAgent: 'feedloom-test',
      settleMs: 20,
    });
    await websub.start();
    try {
      const pinged = () => hubRequests.map((p) => `${p.get('hub.mode')} ${p.get('hub.url')}`).sort();
      // The harbour story is not about storms: only the `all` feeds changed.
      await poller().poll({ kind: 'source', id: await source('harbour', [HARBOUR]) });
      await until(() => hubRequests.length === 3, 'three pings');
      expect(pinged()).toEqual(['publish https://stories.example/news/feeds/all.atom', 'publish https://stories.example/news/feeds/all.json', 'publish https://stories.example/news/feeds/all.rss']);
      // A hub that refuses is asked again at the next check.
      hubRequests.length = 0;
      hubStatus = 503;
      await poller().poll({ kind: 'source', id: await source('bridge', [BRIDGE]) });
      await until(() => hubRequests.length === 6, 'six refused pings');
      hubRequests.length = 0;
      hubStatus = 202;
      expect((await websub.check()).sort()).toEqual(['all', 'storms']);
      expect(hubRequests).toHaveLength(6);
      // Nothing changed since: nothing to ping.
      expect(await websub.check()).toEqual([]);
    } finally {
      await websub.stop();
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('story changes from other processes on PostgreSQL', () => {
  const env = useTestEnvironment('postgres');

  it('announces a notice committed elsewhere, not a rolled-back one, and listens again after losing its connection', async () => {
    const changes = new StoryChanges();
    let heard = 0;
    changes.subscribe(() => (heard += 1));
    const listener = listenForStoryChanges(env.database.databaseUrl!, changes, silentLogger());
    try {
      await until(() => changes.complete, 'the listener');
      const before = heard;
      await env.db.transaction().execute(async (trx) => {
        await noticeOtherProcesses(trx);
        // Not delivered before the commit.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).toBe(before);
      });
      await until(() => heard === before + 1, 'the committed notice');
      await env.db
        .transaction()
        .execute(async (trx) => {
          await noticeOtherProcesses(trx);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toBe(before + 1);
      // The listening connection dies: feeds are checked on every request until it is back, and
      // its return is announced (notices may have been missed meanwhile).
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'feedloom listen' and datname = current_database()`.execute(env.db);
      await until(() => !changes.complete, 'the listener to notice the loss');
      await until(() => changes.complete, 'the listener to come back');
      expect(heard).toBeGreaterThan(before + 1);
    } finally {
      await listener.close();
    }
  });
});
