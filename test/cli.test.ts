// The CLI as users run it: real processes, real databases, a real HTTP server for feeds.
import { readFile, writeFile, mkdtemp, rm, access } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from './helpers/databases.js';
import { exitOf, runCli, startCli, waitForOutput } from './helpers/cli.js';
import { startFeedServer, type FeedServer } from './helpers/feed-server.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

// Each test starts several feedloom processes (through tsx, each opening the embedded database):
// on a busy 2-core machine that takes minutes, not the default minute.
describe.each(engines)('feedloom CLI on %s', { timeout: 240_000 }, (engine) => {
  let test: TestDatabase;
  let feeds: FeedServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    feeds = await startFeedServer();
    feeds.route('/courier.xml', { headers: { 'content-type': 'application/rss+xml' }, body: await readFile(fixture('northsea-courier.rss.xml')) });
    feeds.route('/garbage', { headers: { 'content-type': 'text/plain' }, body: 'this is not a feed at all' });
    env = { DATA_DIR: test.dataDir, ALLOW_PRIVATE_NETWORKS: 'true', ...(test.databaseUrl ? { DATABASE_URL: test.databaseUrl } : {}) };
  });
  afterAll(async () => {
    await feeds?.close();
    await test?.dispose();
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await runCli(['migrate'], env);
    expect(first).toMatchObject({ code: 0, stdout: 'applied 4 migration(s): 0001_initial, 0002_hosts, 0003_dedup, 0004_dedup_log\n' });
    const second = await runCli(['migrate'], env);
    expect(second).toMatchObject({ code: 0, stdout: 'database is up to date (4 migration(s))\n', stderr: '' });
  });

  it('adds a source by fetching it, lists, exports and removes it', async () => {
    const added = await runCli(['sources', 'add', feeds.url('/courier.xml'), '--json'], env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const source = JSON.parse(added.stdout);
    expect(source).toMatchObject({ url: feeds.url('/courier.xml'), title: 'Northsea Courier — World', status: 'active' });

    const again = await runCli(['sources', 'add', feeds.url('/courier.xml')], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`feedloom: source ${feeds.url('/courier.xml')} already exists (id ${source.id})\n`);

    const broken = await runCli(['sources', 'add', feeds.url('/garbage')], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^feedloom: cannot add .*\/garbage: the document is neither XML nor JSON/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);

    const list = await runCli(['sources', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toMatchObject({ sources: [{ id: source.id, itemCount: 0 }], nextCursor: null });
    const table = await runCli(['sources', 'list'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+ITEMS\s+ERRORS\s+TITLE\s+URL$/);
    expect(table.stdout).toContain('Northsea Courier — World');

    const exported = await runCli(['sources', 'export'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`xmlUrl="${feeds.url('/courier.xml')}"`);

    expect(await runCli(['sources', 'remove', source.id], env)).toMatchObject({ code: 0, stdout: `removed source ${source.id}\n` });
    expect(await runCli(['sources', 'remove', source.id], env)).toMatchObject({ code: 1, stderr: `feedloom: no source with id ${source.id}\n` });
  });

  it('refuses private addresses unless ALLOW_PRIVATE_NETWORKS is set', async () => {
    const result = await runCli(['sources', 'add', feeds.url('/courier.xml')], { ...env, ALLOW_PRIVATE_NETWORKS: 'false' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/private or loopback address; set ALLOW_PRIVATE_NETWORKS=true/);
  });

  it('imports OPML with a report, from a file and from stdin', async () => {
    const file = fileURLToPath(fixture('newsroom.opml'));
    const first = await runCli(['sources', 'import', file], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^3 added, 1 skipped, 1 failed$/m);
    const second = await runCli(['sources', 'import', '-', '--json'], env, await readFile(file, 'utf8'));
    const report = JSON.parse(second.stdout);
    expect(report.added).toEqual([]);
    expect(report.skipped).toHaveLength(4);
    const missing = await runCli(['sources', 'import', '/nonexistent/feeds.opml'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^feedloom: cannot read \/nonexistent\/feeds.opml: ENOENT/);
  });

  it('adds, lists and removes topics', async () => {
    const added = await runCli(['topics', 'add', 'nato', '--title', 'NATO summit', '--query', 'nato AND summit', '--json'], env);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ slug: 'nato', title: 'NATO summit', query: 'nato AND summit' });
    const list = await runCli(['topics', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).topics.map((t: { slug: string }) => t.slug)).toEqual(['nato']);
    expect(await runCli(['topics', 'remove', 'nato'], env)).toMatchObject({ code: 0 });
    expect(await runCli(['topics', 'remove', 'nato'], env)).toMatchObject({ code: 1, stderr: 'feedloom: no topic "nato"\n' });
  });

  it('polls sources once and prints the summary', async () => {
    const added = JSON.parse((await runCli(['sources', 'add', feeds.url('/courier.xml'), '--json'], env)).stdout);
    // (Sources imported by earlier tests point at hosts that do not exist; polling one source keeps this exact.)
    const first = await runCli(['poll', '--source', added.id, '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      sources: 1, fetched: 1, notModified: 0, failed: 0, newItems: 2, duplicates: 0, clusters: 2, updatedItems: 0,
    });
    // Polling every due source reaches the failing ones too, and still exits 0 with the counts.
    const due = await runCli(['poll', '--json'], env);
    expect(due.code).toBe(0);
    expect(JSON.parse(due.stdout)).toMatchObject({ fetched: 0, newItems: 0 });
    const again = await runCli(['poll', '--source', added.id], env);
    expect(again.stdout).toMatch(/^1 source\(s\): 1 fetched, 0 not modified, 0 failed; 0 new item\(s\)/);
    const list = JSON.parse((await runCli(['sources', 'list', '--json'], env)).stdout);
    expect(list.sources.find((s: { id: string }) => s.id === added.id)).toMatchObject({ itemCount: 2, status: 'active', errorCount: 0 });
    expect((await runCli(['poll', '--all', '--source', '1'], env)).code).toBe(2);
    await runCli(['sources', 'remove', added.id], env);
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
    expect((await runCli(['topics', 'add', 'x'], env)).code).toBe(2);
    expect((await runCli(['sources', 'add'], env)).code).toBe(2);
  });

  it('serves /healthz, stops cleanly on SIGTERM, and keeps the data', async () => {
    await runCli(['topics', 'add', 'kept', '--title', 'Kept', '--query', 'kept'], env);
    const serve = startCli(['serve'], { ...env, PORT: '0' });
    const [, url] = await waitForOutput(serve, /"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

    const concurrent = await runCli(['topics', 'list', '--json'], env);
    if (engine === 'pglite') {
      // One process per embedded database: a second one is told who holds it, and touches nothing.
      expect(concurrent.code).toBe(1);
      expect(concurrent.stderr).toMatch(/in use by another feedloom process \(pid \d+ .*feedloom serve, serving http:\/\/127\.0\.0\.1:\d+/);
    } else {
      expect(concurrent.code).toBe(0);
    }

    serve.kill('SIGTERM');
    expect(await exitOf(serve)).toBe(0);
    if (engine === 'pglite') await expect(access(path.join(test.dataDir, 'feedloom.lock'))).rejects.toThrow();
    const after = await runCli(['topics', 'list', '--json'], env);
    expect(JSON.parse(after.stdout).topics.map((t: { slug: string }) => t.slug)).toContain('kept');
  });
});

describe('feedloom start-up errors', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'feedloom-cli-'));
  });
  afterAll(async () => rm(scratch, { recursive: true, force: true }));

  const oneLine = (stderr: string) => stderr.trim().split('\n');

  it('stops on a malformed DATABASE_URL with one line, exit 1', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'postgres//localhost', DATA_DIR: scratch });
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toEqual(['feedloom: invalid configuration: DATABASE_URL: expected a URL like postgres://user:password@host:5432/database']);
  });

  it('stops on an unreachable PostgreSQL with one line, exit 1', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'postgres://feedloom:secret@127.0.0.1:1/feedloom', DATA_DIR: scratch });
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^feedloom: cannot connect to PostgreSQL at postgres:\/\/feedloom:\*\*\*@127\.0\.0\.1:1\/feedloom: /);
  });

  it('stops on an unwritable DATA_DIR with one line, exit 1', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'not a directory');
    const result = await runCli(['serve'], { DATA_DIR: path.join(file, 'data') });
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^feedloom: DATA_DIR .*a-file\/data is not a writable directory: /);
  });

  it('stops when the port is in use with one line, exit 1, and frees the database', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = path.join(scratch, 'port-test');
    try {
      const result = await runCli(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
      expect(result.code).toBe(1);
      expect(oneLine(result.stderr)).toEqual([`feedloom: cannot listen on 127.0.0.1:${port}: the port is already in use`]);
    } finally {
      blocker.close();
    }
    // The failed start released its lock.
    expect((await runCli(['migrate'], { DATA_DIR: dataDir })).code).toBe(0);
  });
});


describe('feedloom inspect', () => {
  let feeds: FeedServer;
  let scratch: string;
  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.route('/courier.xml', { headers: { 'content-type': 'application/rss+xml' }, body: await readFile(fixture('northsea-courier.rss.xml')) });
    scratch = await mkdtemp(path.join(tmpdir(), 'feedloom-inspect-'));
  });
  afterAll(async () => {
    await feeds?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('prints the normalized feed of a file as JSON, resolving against --url', async () => {
    const file = path.join(scratch, 'relative.xml');
    await writeFile(file, '<rss version="2.0"><channel><title>T</title><item><title>A</title><link>/a</link></item></channel></rss>');
    const result = await runCli(['inspect', file, '--url', 'https://news.example/feed.xml', '--json']);
    expect(result.code).toBe(0);
    const feed = JSON.parse(result.stdout);
    expect(feed).toMatchObject({ format: 'rss2.0', title: 'T', feedUrl: 'https://news.example/feed.xml', items: [{ link: 'https://news.example/a' }] });
  });

  it('fetches a URL (private networks allowed) and prints a summary', async () => {
    const result = await runCli(['inspect', feeds.url('/courier.xml')], { ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Northsea Courier — World {2}\[rss2\.0\]$/m);
    expect(result.stdout).toContain('2 item(s)');
  });

  it('answers --batch requests in order, errors included', async () => {
    const good = fileURLToPath(fixture('northsea-courier.rss.xml'));
    const html = path.join(scratch, 'page.html');
    await writeFile(html, '<!DOCTYPE html><html><body>hi</body></html>');
    const input = [JSON.stringify({ path: good }), 'not json', JSON.stringify({ path: html }), JSON.stringify({ path: '/missing.xml' })].join('\n');
    const result = await runCli(['inspect', '--batch'], {}, input);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ path: good, feed: { title: 'Northsea Courier — World' } });
    expect(lines[1]).toMatchObject({ path: null, error: { kind: 'request' } });
    expect(lines[2]).toMatchObject({ path: html, error: { kind: 'html' } });
    expect(lines[3]).toMatchObject({ path: '/missing.xml', error: { kind: 'read' } });
  });

  it('fails with one line for what is not a feed', async () => {
    const file = path.join(scratch, 'empty.xml');
    await writeFile(file, '');
    const result = await runCli(['inspect', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`feedloom: cannot read ${file}: the document is empty\n`);
  });
});
