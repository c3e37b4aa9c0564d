// The HTTP API through Fastify's injector, on every engine.
import { readFile } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.js';
import { buildServer } from '../src/http/server.js';
import { silentLogger } from '../src/log/logger.js';
import { engines } from './helpers/databases.js';
import { testFetch as fetch, useTestEnvironment } from './helpers/environment.js';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(engines)('HTTP API on %s', (engine) => {
  const env = useTestEnvironment(engine, { feeds: true, reset: true, app: { adminToken: TOKEN, poller: true } });
  beforeAll(async () => {
    env.server.route('/courier.xml', {
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
      body: await readFile(new URL('./fixtures/northsea-courier.rss.xml', import.meta.url)),
    });
    env.server.route('/page.html', { headers: { 'content-type': 'text/html' }, body: '<html><body>hello</body></html>' });
  });

  it('GET /healthz makes a database round trip', async () => {
    const res = await env.app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('admin routes demand the bearer token', async () => {
    expect((await env.app.inject('/api/sources')).statusCode).toBe(401);
    const wrong = await env.app.inject({ url: '/api/sources', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'missing or wrong bearer token' } });
    expect((await env.app.inject({ url: '/api/sources', headers: auth })).statusCode).toBe(200);
  });

  it('adds a source after fetching it, and manages it', async () => {
    const created = await env.app.inject({ method: 'POST', url: '/api/sources', headers: auth, payload: { url: env.server.url('/courier.xml') } });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({
      url: env.server.url('/courier.xml'),
      title: 'Northsea Courier — World',
      siteUrl: 'https://northsea-courier.example/world',
      status: 'active',
      itemCount: 0,
    });
    expect(created.headers.location).toBe(`/api/sources/${source.id}`);

    const dup = await env.app.inject({ method: 'POST', url: '/api/sources', headers: auth, payload: { url: env.server.url('/courier.xml') } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');

    const patched = await env.app.inject({ method: 'PATCH', url: `/api/sources/${source.id}`, headers: auth, payload: { status: 'paused' } });
    expect(patched.json()).toMatchObject({ status: 'paused', nextPollAt: null });
    const badPatch = await env.app.inject({ method: 'PATCH', url: `/api/sources/${source.id}`, headers: auth, payload: { status: 'failing' } });
    expect(badPatch.statusCode).toBe(400);

    const list = await env.app.inject({ url: '/api/sources?limit=1', headers: auth });
    expect(list.json()).toMatchObject({ sources: [{ id: source.id }], nextCursor: null });

    expect((await env.app.inject({ method: 'DELETE', url: `/api/sources/${source.id}`, headers: auth })).statusCode).toBe(204);
    const gone = await env.app.inject({ url: `/api/sources/${source.id}`, headers: auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
  });

  it('polls a source on request and shows its fetch history', async () => {
    const source = (await env.app.inject({ method: 'POST', url: '/api/sources', headers: auth, payload: { url: env.server.url('/courier.xml') } })).json();
    const polled = await env.app.inject({ method: 'POST', url: `/api/sources/${source.id}/poll`, headers: auth });
    expect(polled.statusCode).toBe(200);
    expect(polled.json()).toMatchObject({ result: { status: 'ok', newItems: 2 }, source: { id: source.id, itemCount: 2 } });
    expect(polled.json().source.lastPolledAt).not.toBeNull();
    const history = await env.app.inject({ url: `/api/sources/${source.id}/history`, headers: auth });
    expect(history.json()).toMatchObject({ history: [{ status: 'ok', httpStatus: 200, itemsNew: 2, itemsUpdated: 0, error: null }] });
    expect((await env.app.inject({ method: 'POST', url: '/api/sources/999/poll', headers: auth })).statusCode).toBe(404);
    const metrics = await env.app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(/^feedloom_sources\{status="active"\} 1$/m);
    expect(metrics.body).toMatch(/^feedloom_items 2$/m);
    expect(metrics.body).toMatch(/^feedloom_fetches_last_hour\{outcome="ok"\} 1$/m);
    expect((await env.app.inject({ method: 'POST', url: `/api/sources/${source.id}/poll` })).statusCode).toBe(401);
  });

  it('refuses a page that is not a feed, and bad bodies, with 4xx errors', async () => {
    const html = await env.app.inject({ method: 'POST', url: '/api/sources', headers: auth, payload: { url: env.server.url('/page.html') } });
    expect(html.statusCode).toBe(422);
    expect(html.json().error.message).toMatch(/HTML page, not a feed/);
    const missing = await env.app.inject({ method: 'POST', url: '/api/sources', headers: auth, payload: { title: 'x' } });
    expect(missing.statusCode).toBe(400);
    const notJson = await env.app.inject({
      method: 'POST',
      url: '/api/sources',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"url":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('bad_request');
  });

  it('pages sources with an opaque cursor', async () => {
    for (const n of [1, 2, 3]) {
      await env.app.inject({ method: 'POST', url: '/api/sources', headers: auth, payload: { url: `https://s${n}.example/rss`, validate: false } });
    }
    const first = (await env.app.inject({ url: '/api/sources?limit=2', headers: auth })).json();
    expect(first.sources.map((s: { url: string }) => s.url)).toEqual(['https://s1.example/rss', 'https://s2.example/rss']);
    const second = (await env.app.inject({ url: `/api/sources?limit=2&cursor=${first.nextCursor}`, headers: auth })).json();
    expect(second).toMatchObject({ sources: [{ url: 'https://s3.example/rss' }], nextCursor: null });
    expect((await env.app.inject({ url: '/api/sources?cursor=zzz', headers: auth })).statusCode).toBe(400);
    expect((await env.app.inject({ url: '/api/sources?limit=501', headers: auth })).statusCode).toBe(400);
  });

  it('imports and exports OPML', async () => {
    const opml = await readFile(new URL('./fixtures/newsroom.opml', import.meta.url), 'utf8');
    const res = await env.app.inject({ method: 'POST', url: '/api/opml', headers: { ...auth, 'content-type': 'text/x-opml' }, payload: opml });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ added: [{}, {}, {}], skipped: [{}], failed: [{}] });
    const out = await env.app.inject({ url: '/api/opml', headers: auth });
    expect(out.headers['content-type']).toContain('text/x-opml');
    expect(out.body).toContain('xmlUrl="https://hep.example/news/feed.json"');
    const bad = await env.app.inject({ method: 'POST', url: '/api/opml', headers: { ...auth, 'content-type': 'text/xml' }, payload: '<nope' });
    expect(bad.statusCode).toBe(422);
  });

  it('manages topics; the list is public', async () => {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/topics',
      headers: auth,
      payload: { slug: 'nato', title: 'NATO summit', query: 'nato AND summit' },
    });
    expect(created.statusCode).toBe(201);
    expect((await env.app.inject({ method: 'POST', url: '/api/topics', payload: { slug: 'x', title: 'x', query: 'x' } })).statusCode).toBe(401);
    const list = await env.app.inject('/api/topics');
    expect(list.json()).toMatchObject({ topics: [{ slug: 'nato', title: 'NATO summit', query: 'nato AND summit' }] });
    const patched = await env.app.inject({ method: 'PATCH', url: '/api/topics/nato', headers: auth, payload: { title: 'NATO' } });
    expect(patched.json().title).toBe('NATO');
    const bad = await env.app.inject({ method: 'POST', url: '/api/topics', headers: auth, payload: { slug: 'No Good', title: 'x', query: 'x' } });
    expect(bad.statusCode).toBe(422);
    expect((await env.app.inject({ method: 'DELETE', url: '/api/topics/nato', headers: auth })).statusCode).toBe(204);
    expect((await env.app.inject({ method: 'DELETE', url: '/api/topics/nato', headers: auth })).statusCode).toBe(404);
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await env.app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });
});

describe('HTTP API without ADMIN_TOKEN or database', () => {
  it('admin routes answer 403 saying how to enable them; /healthz answers 503 with the reason', async () => {
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 1_000 }) }),
    });
    const app = await buildServer({ db, config: { adminToken: null, publicUrl: 'http://localhost' }, fetch, logger: silentLogger() });
    try {
      const admin = await app.inject({ url: '/api/sources', headers: auth });
      expect(admin.statusCode).toBe(403);
      expect(admin.json().error.message).toMatch(/set ADMIN_TOKEN/);
      const health = await app.inject('/healthz');
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'error', database: 'error', reason: expect.stringMatching(/ECONNREFUSED|connect/) });
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
