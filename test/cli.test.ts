// The CLI's one-shot commands as users run them, but in this process: main() with its output
// captured and a clean environment, on real databases and a real HTTP server for feeds. Each
// command opens the database and closes it, as it does in its own process. `serve`, `worker` and
// the entry point itself run as real processes in cli-smoke.test.ts.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './helpers/databases.js';
import { runCli, type CliEnv } from './helpers/cli.js';
import { useTestEnvironment } from './helpers/environment.js';
import { startFeedServer, type FeedServer } from './helpers/feed-server.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const courierRoute = async () => ({ headers: { 'content-type': 'application/rss+xml' }, body: await readFile(fixture('northsea-courier.rss.xml')) });

// Every command opens the database and closes it: on the embedded engine a second or more each
// on a busy machine, and some tests run ten.
describe.each(engines)('feedloom CLI on %s', { timeout: 180_000 }, (engine) => {
  // Not migrated: the first test is the first `migrate` of a new installation.
  const env = useTestEnvironment(engine, { migrated: false, open: false, feeds: true });
  const feeds = () => env.server;
  const cli = (args: string[], extra: CliEnv = {}, stdin?: string) => runCli(args, { ...env.cliEnv, ...extra }, stdin);

  beforeAll(async () => {
    feeds().route('/courier.xml', await courierRoute());
    feeds().route('/garbage', { headers: { 'content-type': 'text/plain' }, body: 'this is not a feed at all' });
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await cli(['migrate']);
    expect(first).toMatchObject({ code: 0, stdout: 'applied 4 migration(s): 0001_initial, 0002_hosts, 0003_dedup, 0004_dedup_log\n' });
    const second = await cli(['migrate']);
    expect(second).toMatchObject({ code: 0, stdout: 'database is up to date (4 migration(s))\n', stderr: '' });
  });

  it('adds a source by fetching it, lists, exports and removes it', async () => {
    const added = await cli(['sources', 'add', feeds().url('/courier.xml'), '--json']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const source = JSON.parse(added.stdout);
    expect(source).toMatchObject({ url: feeds().url('/courier.xml'), title: 'Northsea Courier — World', status: 'active' });

    const again = await cli(['sources', 'add', feeds().url('/courier.xml')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`feedloom: source ${feeds().url('/courier.xml')} already exists (id ${source.id})\n`);

    const broken = await cli(['sources', 'add', feeds().url('/garbage')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^feedloom: cannot add .*\/garbage: the document is neither XML nor JSON/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);

    const list = await cli(['sources', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ sources: [{ id: source.id, itemCount: 0 }], nextCursor: null });
    const table = await cli(['sources', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+ITEMS\s+ERRORS\s+TITLE\s+URL$/);
    expect(table.stdout).toContain('Northsea Courier — World');

    const exported = await cli(['sources', 'export']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`xmlUrl="${feeds().url('/courier.xml')}"`);

    expect(await cli(['sources', 'remove', source.id])).toMatchObject({ code: 0, stdout: `removed source ${source.id}\n` });
    expect(await cli(['sources', 'remove', source.id])).toMatchObject({ code: 1, stderr: `feedloom: no source with id ${source.id}\n` });
  });

  it('refuses private addresses unless ALLOW_PRIVATE_NETWORKS is set', async () => {
    const result = await cli(['sources', 'add', feeds().url('/courier.xml')], { ALLOW_PRIVATE_NETWORKS: 'false' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/private or loopback address; set ALLOW_PRIVATE_NETWORKS=true/);
  });

  it('imports OPML with a report, from a file and from stdin', async () => {
    const file = fileURLToPath(fixture('newsroom.opml'));
    const first = await cli(['sources', 'import', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^3 added, 1 skipped, 1 failed$/m);
    const second = await cli(['sources', 'import', '-', '--json'], {}, await readFile(file, 'utf8'));
    const report = JSON.parse(second.stdout);
    expect(report.added).toEqual([]);
    expect(report.skipped).toHaveLength(4);
    const missing = await cli(['sources', 'import', '/nonexistent/feeds.opml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^feedloom: cannot read \/nonexistent\/feeds.opml: ENOENT/);
  });

  it('adds, lists and removes topics', async () => {
    const added = await cli(['topics', 'add', 'nato', '--title', 'NATO summit', '--query', 'nato AND summit', '--json']);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ slug: 'nato', title: 'NATO summit', query: 'nato AND summit' });
    const list = await cli(['topics', 'list', '--json']);
    expect(JSON.parse(list.stdout).topics.map((t: { slug: string }) => t.slug)).toEqual(['nato']);
    expect(await cli(['topics', 'remove', 'nato'])).toMatchObject({ code: 0 });
    expect(await cli(['topics', 'remove', 'nato'])).toMatchObject({ code: 1, stderr: 'feedloom: no topic "nato"\n' });
  });

  it('polls sources once and prints the summary', async () => {
    const added = JSON.parse((await cli(['sources', 'add', feeds().url('/courier.xml'), '--json'])).stdout);
    // (Sources imported by earlier tests point at hosts that do not exist; polling one source keeps this exact.)
    const first = await cli(['poll', '--source', added.id, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      sources: 1, fetched: 1, notModified: 0, failed: 0, newItems: 2, duplicates: 0, clusters: 2, updatedItems: 0,
    });
    // Polling every due source reaches the failing ones too, and still exits 0 with the counts.
    const due = await cli(['poll', '--json']);
    expect(due.code).toBe(0);
    expect(JSON.parse(due.stdout)).toMatchObject({ fetched: 0, newItems: 0 });
    const again = await cli(['poll', '--source', added.id]);
    expect(again.stdout).toMatch(/^1 source\(s\): 1 fetched, 0 not modified, 0 failed; 0 new item\(s\)/);
    const list = JSON.parse((await cli(['sources', 'list', '--json'])).stdout);
    expect(list.sources.find((s: { id: string }) => s.id === added.id)).toMatchObject({ itemCount: 2, status: 'active', errorCount: 0 });
    expect((await cli(['poll', '--all', '--source', '1'])).code).toBe(2);
    await cli(['sources', 'remove', added.id]);
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['topics', 'add', 'x'])).code).toBe(2);
    expect((await cli(['sources', 'add'])).code).toBe(2);
  });
});

describe('feedloom start-up errors', () => {
  // An embedded database to start on (a copy of the migrated template: quicker than a new one).
  const env = useTestEnvironment('pglite', { open: false });
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
    const { DATA_DIR } = env.cliEnv;
    try {
      const result = await runCli(['serve'], { DATA_DIR, PORT: String(port) });
      expect(result.code).toBe(1);
      expect(oneLine(result.stderr)).toEqual([`feedloom: cannot listen on 127.0.0.1:${port}: the port is already in use`]);
    } finally {
      blocker.close();
    }
    // The failed start released its lock.
    expect((await runCli(['migrate'], { DATA_DIR })).code).toBe(0);
  });
});

describe('feedloom inspect', () => {
  let feeds: FeedServer;
  let scratch: string;
  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.route('/courier.xml', await courierRoute());
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
