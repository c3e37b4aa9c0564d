import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/fetch/address-guard.js';
import { fetchFeed, schedulingHints, type FetchOptions } from '../src/fetch/fetcher.js';
import { parseFeed } from '../src/parse/parse-feed.js';
import { startFeedServer, type FeedServer } from './helpers/feed-server.js';

const options: FetchOptions = { userAgent: 'feedloom-test/1', allowPrivateNetworks: true, timeoutMs: 5_000 };

describe('fetcher', () => {
  let server: FeedServer;
  let rss: string;
  beforeAll(async () => {
    server = await startFeedServer();
    rss = await readFile(new URL('./fixtures/northsea-courier.rss.xml', import.meta.url), 'utf8');
    server.route('/feed.xml', { headers: { 'content-type': 'application/rss+xml', etag: '"v1"' }, body: rss });
    server.route('/gz.xml', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(rss) });
    server.route('/moved', { status: 301, headers: { location: '/feed.xml' } });
    server.route('/moved-twice', { status: 308, headers: { location: '/moved' } });
    server.route('/temporary', { status: 302, headers: { location: '/moved' } });
    server.route('/loop-a', { status: 302, headers: { location: '/loop-b' } });
    server.route('/loop-b', { status: 302, headers: { location: '/loop-a' } });
    for (let i = 0; i < 7; i++) server.route(`/hop${i}`, { status: 302, headers: { location: `/hop${i + 1}` } });
    server.route('/bomb', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(20 * 1024 * 1024)) });
    server.route('/html', { headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>Not a feed</body></html>' });
    server.route('/gone', { status: 410, body: 'gone' });
    server.route('/conditional', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"' }).end(rss);
    });
    server.route('/busy', { status: 503, headers: { 'retry-after': '120' }, body: 'busy' });
    server.route('/cached', { headers: { 'cache-control': 'public, max-age=600' }, body: rss });
    server.route('/huge', { headers: { 'content-length': String(50 * 1024 * 1024) }, body: '' });
    server.route('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk)) {
          if (res.destroyed) return;
        }
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    server.route('/slow', (_req, res) => {
      res.writeHead(200);
      res.write('<rss>');
      // never finishes
    });
  });
  afterAll(async () => server.close());

  it('fetches and reads a feed, sending our User-Agent', async () => {
    const result = await fetchFeed(server.url('/feed.xml'), options);
    expect(result.status).toBe(200);
    expect(result.permanentUrl).toBeNull();
    const { feed } = parseFeed({ bytes: result.body, contentType: result.headers['content-type'] ?? null, url: result.url });
    expect(feed).toMatchObject({
      format: 'rss2.0',
      title: 'Northsea Courier — World',
      link: 'https://northsea-courier.example/world',
      feedUrl: server.url('/feed.xml'),
      description: 'International news from the Northsea Courier desk',
    });
    expect(feed.items).toHaveLength(2);
    expect(server.requests.at(-1)?.headers['user-agent']).toBe('feedloom-test/1');
  });

  it('decompresses gzip', async () => {
    const result = await fetchFeed(server.url('/gz.xml'), options);
    expect(result.body.toString('utf8')).toBe(rss);
  });

  it('reports a permanent move only when every hop was permanent', async () => {
    expect((await fetchFeed(server.url('/moved-twice'), options)).permanentUrl).toBe(server.url('/feed.xml'));
    const temporary = await fetchFeed(server.url('/temporary'), options);
    expect(temporary.url).toBe(server.url('/feed.xml'));
    expect(temporary.permanentUrl).toBeNull();
  });

  it('answers 304 to a conditional request', async () => {
    const result = await fetchFeed(server.url('/conditional'), { ...options, etag: '"v1"' });
    expect(result.status).toBe(304);
    expect(result.body.length).toBe(0);
  });

  it.each([
    ['/loop-a', 'redirect_loop'],
    ['/hop0', 'too_many_redirects'],
    ['/gone', 'http_status'],
    ['/bomb', 'too_large'],
  ])('fails %s with kind %s', async (path, kind) => {
    await expect(fetchFeed(server.url(path), { ...options, maxBytes: 1024 * 1024 })).rejects.toMatchObject({ kind });
  });

  it('passes Retry-After and Cache-Control max-age up as scheduling hints', async () => {
    await expect(fetchFeed(server.url('/busy'), options)).rejects.toMatchObject({
      kind: 'http_status',
      status: 503,
      hints: { retryAfterSeconds: 120, maxAgeSeconds: null },
    });
    expect((await fetchFeed(server.url('/cached'), options)).hints).toEqual({ retryAfterSeconds: null, maxAgeSeconds: 600 });
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(schedulingHints({ 'retry-after': 'Sun, 29 Nov 2026 10:05:00 GMT' }, now).retryAfterSeconds).toBe(300);
    expect(schedulingHints({ 'retry-after': 'soon', 'cache-control': 'no-cache' }, now)).toEqual({ retryAfterSeconds: null, maxAgeSeconds: null });
  });

  it('stops reading an endless or oversized body at the cap', async () => {
    await expect(fetchFeed(server.url('/endless'), { ...options, maxBytes: 256 * 1024 })).rejects.toMatchObject({ kind: 'too_large' });
    await expect(fetchFeed(server.url('/huge'), options)).rejects.toMatchObject({ kind: 'too_large' });
  });

  it('times out a server that never finishes', async () => {
    const started = Date.now();
    await expect(fetchFeed(server.url('/slow'), { ...options, timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses loopback and private addresses unless allowed', async () => {
    const guarded = { ...options, allowPrivateNetworks: false };
    await expect(fetchFeed(server.url('/feed.xml'), guarded)).rejects.toMatchObject({ kind: 'blocked_address' });
    const port = new URL(server.url('/')).port;
    await expect(fetchFeed(`http://localhost:${port}/feed.xml`, guarded)).rejects.toMatchObject({ kind: 'blocked_address' });
    await expect(fetchFeed(`http://[::ffff:127.0.0.1]:${port}/feed.xml`, guarded)).rejects.toMatchObject({ kind: 'blocked_address' });
    await expect(fetchFeed('file:///etc/passwd', guarded)).rejects.toMatchObject({ kind: 'invalid_url' });
  });

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd12::1', '0.0.0.0', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('says when a page is HTML rather than a feed', async () => {
    const result = await fetchFeed(server.url('/html'), options);
    expect(() => parseFeed({ bytes: result.body, contentType: 'text/html', url: result.url })).toThrow(/HTML page, not a feed/);
  });
});
