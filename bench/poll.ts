// Polling throughput of one worker (one Poller, default settings) against PostgreSQL and a local
// feed server. Goals (issue text): ≥ 1,000 sources per minute when every source answers 304, and
// ≥ 300 sources per minute when each returns a fresh 50-item feed, on a 2-core machine.
//
// Set-up, per benchmark, all removed afterwards (also on error or Ctrl-C):
// - a fresh PostgreSQL database `feedloom_bench_<hex>` created next to BENCH_DATABASE_URL (else
//   TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrated to latest;
// - a feed server in a worker thread, so that serving feeds runs on its own thread and does not
//   steal the poller's event loop (a remote server would cost the poller nothing);
// - N sources inserted directly, one per host.
//
// Distinct hosts: the Poller allows 2 fetches at once per host, so N sources on one host would run
// two at a time and measure politeness, not throughput; real sources are spread over many hosts.
// `*.localhost` names do not resolve here (glibc's resolver has no such rule and /etc/hosts only
// names `localhost`), so each source gets its own loopback address instead: 127.0.1.1, 127.0.1.2, …
// (Linux routes all of 127.0.0.0/8 to `lo`). A server bound to 127.0.0.1 does not accept
// connections for 127.0.0.2, so the feed server listens on every address it needs (one port-0
// listener each); nothing is bound beyond loopback. `sources.host` is the URL's hostname, as
// `feedloom sources add` stores it.
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import { Poller } from '../src/ingest/poller.js';
import { silentLogger } from '../src/log/logger.js';
import { rssFeed, type RssItem } from '../test/helpers/feed-xml.js';
import { createBenchDatabase, withCleanup } from './database.js';

const FETCH = { userAgent: 'feedloom-bench', allowPrivateNetworks: true };

// ---------------------------------------------------------------------------------------------
// Feeds. `{{SOURCE}}` and `{{POLL}}` are filled in by the server per request.

const NEWS = [
  'The city council voted late on Tuesday to approve the revised budget, ending weeks of negotiation over funding for ' +
    'public transport and road repairs. Supporters said the compromise protects bus routes in outlying districts, while ' +
    'critics argued that the plan postpones necessary investment in the ageing tram network for at least another year.',
  'Officials from the regional health authority said waiting times for routine surgery had fallen for the third month ' +
    'in a row, although they cautioned that staff shortages in several hospitals remain a serious concern. The figures, ' +
    'published on Wednesday, show the largest improvement in orthopaedics and in eye care.',
  'Shares in European carmakers rose sharply after the trade ministers reached a provisional agreement on tariffs. ' +
    'Analysts said the deal removes much of the uncertainty that has weighed on the sector since the spring, but ' +
    'warned that the details still have to be approved by national parliaments before the end of the year.',
  'Heavy rain is expected across the north of the country over the weekend, and forecasters have issued flood ' +
    'warnings for several river valleys. Residents were advised to move valuables upstairs and to avoid driving ' +
    'through standing water; emergency services said extra crews would be on duty from Friday evening.',
];
const HEADLINES = [
  'Council approves revised budget after weeks of talks',
  'Surgery waiting times fall for third month running',
  'Carmakers rally as ministers agree provisional tariff deal',
  'Flood warnings issued as heavy rain heads north',
  'Minister defends school funding plan in heated debate',
  'Rail strike called off after last-minute pay offer',
];

/** One item of about 1 KB of news text; `id` must be unique per source and poll. */
function item(id: string, index: number, published: Date): RssItem {
  return {
    title: `${HEADLINES[index % HEADLINES.length]} (${id})`,
    link: `https://news{{SOURCE}}.example/${published.toISOString().slice(0, 10).replaceAll('-', '/')}/story-${id}`,
    guid: `news{{SOURCE}}-${id}`,
    guidIsPermaLink: false,
    published,
    author: 'Staff reporter',
    categories: ['News'],
    html: `<p>${NEWS[index % NEWS.length]}</p>\n<p>${NEWS[(index + 1) % NEWS.length]}</p>`,
  };
}

function rss(items: RssItem[]): string {
  return rssFeed({ title: 'News {{SOURCE}}', link: 'https://news{{SOURCE}}.example/', description: 'Bench feed {{SOURCE}}', language: 'en', items });
}

/** A small feed for the 304 scenario: 3 items, fixed. */
function smallFeed(): string {
  const now = Date.now();
  return rss([0, 1, 2].map((j) => item(`static-${j}`, j, new Date(now - j * 3_600_000))));
}

/** A 50-item feed whose guids change with every request (`{{POLL}}` is a server-wide counter). */
function freshFeed(items: number): string {
  const now = Date.now();
  return rss(Array.from({ length: items }, (_, j) => item(`p{{POLL}}-${j}`, j, new Date(now - j * 600_000))));
}

// ---------------------------------------------------------------------------------------------
// Feed server, in a worker thread. Plain JavaScript (CommonJS eval) so the worker needs no tsx.

type ServerMode = 'etag' | 'fresh';

const SERVER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { mode, addresses, body } = workerData;
const stats = { requests: 0, full: 0, notModified: 0, bytes: 0 };
let poll = 0;
function handle(req, res) {
  stats.requests++;
  const m = /^\\/feed\\/(\\d+)\\.xml$/.exec(req.url || '');
  if (!m) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
  const source = m[1];
  const headers = { 'content-type': 'application/rss+xml; charset=utf-8' };
  if (mode === 'etag') {
    const etag = '"v1-' + source + '"';
    headers.etag = etag;
    if (req.headers['if-none-match'] === etag) { stats.notModified++; res.writeHead(304, headers).end(); return; }
  }
  const text = Buffer.from(body.replaceAll('{{SOURCE}}', source).replaceAll('{{POLL}}', String(++poll)));
  headers['content-length'] = String(text.length);
  stats.full++;
  stats.bytes += text.length;
  res.writeHead(200, headers).end(text);
}
const servers = [];
Promise.all(addresses.map((address) => new Promise((resolve, reject) => {
  const server = http.createServer(handle);
  servers.push(server);
  server.once('error', reject);
  server.listen(0, address, () => resolve(server.address().port));
}))).then(
  (ports) => parentPort.postMessage({ type: 'ready', ports }),
  (error) => parentPort.postMessage({ type: 'error', message: String(error && error.message || error) }),
);
parentPort.on('message', (message) => {
  if (message === 'closeIdle') {
    for (const server of servers) server.closeIdleConnections();
    parentPort.postMessage({ type: 'stats', stats: { ...stats } });
  } else if (message === 'stats') {
    parentPort.postMessage({ type: 'stats', stats: { ...stats } });
  } else if (message === 'close') {
    Promise.all(servers.map((server) => new Promise((resolve) => {
      server.closeAllConnections();
      if (server.listening) server.close(() => resolve()); else resolve();
    }))).then(() => parentPort.postMessage({ type: 'closed' }));
  }
});
`;

interface ServerStats {
  requests: number;
  full: number;
  notModified: number;
  bytes: number;
}

interface BenchServer {
  urls: string[];
  /** Drops idle keep-alive connections (so the timed run connects afresh, as polls minutes apart do). */
  closeIdle(): Promise<ServerStats>;
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

/** The loopback address of source `i`: 127.0.1.1 … 127.0.1.250, 127.0.2.1 … */
function addressOf(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

async function startServer(count: number, mode: ServerMode, body: string): Promise<BenchServer> {
  const addresses = Array.from({ length: count }, (_, i) => addressOf(i));
  const worker = new Worker(SERVER_SOURCE, { eval: true, execArgv: [], workerData: { mode, addresses, body } });
  let failure: Error | null = null;
  worker.on('error', (error) => (failure = error));
  // Replies come in request order: one waiter per message sent.
  const waiters: Array<(message: { type: string; [key: string]: unknown }) => void> = [];
  worker.on('message', (message: { type: string }) => waiters.shift()?.(message));
  const ask = <T>(message: string | null, type: string, pick: (m: Record<string, unknown>) => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      waiters.push((m) => (m.type === type ? resolve(pick(m)) : reject(new Error(`feed server: ${String(m.message ?? m.type)}`))));
      if (message !== null) worker.postMessage(message);
    });
  let ports: number[];
  try {
    ports = await ask(null, 'ready', (m) => m.ports as number[]);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    urls: addresses.map((address, i) => `http://${address}:${ports[i]}/feed/${i}.xml`),
    closeIdle: () => ask('closeIdle', 'stats', (m) => m.stats as ServerStats),
    stats: () => ask('stats', 'stats', (m) => m.stats as ServerStats),
    async close() {
      await ask('close', 'closed', () => undefined).catch(() => undefined);
      await worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Database and clean-up.

async function insertSources(handle: DatabaseHandle, urls: string[]): Promise<void> {
  const rows = urls.map((url) => ({ url, host: new URL(url).hostname }));
  for (let i = 0; i < rows.length; i += 1000) await handle.db.insertInto('sources').values(rows.slice(i, i + 1000)).execute();
}

/** Per-poll time (claim to recorded outcome, as fetch_history measures it) for one kind of outcome. */
async function pollTimes(handle: DatabaseHandle, status: 'ok' | 'not_modified'): Promise<{ avgPollMs: number; p95PollMs: number }> {
  const row = await handle.db
    .selectFrom('fetch_history')
    .select([
      sql<number>`coalesce(avg(duration_ms), 0)::float8`.as('avg'),
      sql<number>`coalesce(percentile_cont(0.95) within group (order by duration_ms), 0)::float8`.as('p95'),
    ])
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return { avgPollMs: Math.round(row.avg), p95PollMs: Math.round(row.p95) };
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Benchmarks.

/** 1,000 sources, each already polled once (ETag stored), polled again: every answer is a 304. */
export function benchPollNotModified(count = 1000): Promise<Record<string, number>> {
  return withCleanup(async (cleanup) => {
    const handle = await createBenchDatabase(cleanup);
    const server = await startServer(count, 'etag', smallFeed());
    cleanup.push(() => server.close());
    await insertSources(handle, server.urls);
    const poller = new Poller({ db: handle.db, fetch: FETCH, logger: silentLogger() });

    const warmStarted = performance.now();
    const warm = await poller.poll({ kind: 'all' });
    const warmupSeconds = (performance.now() - warmStarted) / 1000;
    if (warm.fetched !== count || warm.failed !== 0) throw new Error(`warm-up poll: ${JSON.stringify(warm)}`);
    const before = await server.closeIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const started = performance.now();
    const summary = await poller.poll({ kind: 'all' });
    const seconds = (performance.now() - started) / 1000;
    const after = await server.stats();
    if (summary.notModified !== count || summary.failed !== 0 || summary.sources !== count) {
      throw new Error(`304 poll: expected ${count} not modified, got ${JSON.stringify(summary)}`);
    }
    if (after.notModified - before.notModified !== count) throw new Error(`server answered ${after.notModified - before.notModified} 304s, not ${count}`);
    return {
      sources: summary.sources,
      seconds: round(seconds),
      sourcesPerMinute: Math.round((summary.sources / seconds) * 60),
      notModified: summary.notModified,
      failed: summary.failed,
      ...(await pollTimes(handle, 'not_modified')),
      warmupSeconds: round(warmupSeconds),
    };
  });
}

/** 300 sources, each returning a new 50-item feed (~1 KB of text per item): 15,000 items stored. */
export function benchPollFresh(count = 300, items = 50): Promise<Record<string, number>> {
  return withCleanup(async (cleanup) => {
    const handle = await createBenchDatabase(cleanup);
    const server = await startServer(count, 'fresh', freshFeed(items));
    cleanup.push(() => server.close());
    await insertSources(handle, server.urls);
    const poller = new Poller({ db: handle.db, fetch: FETCH, logger: silentLogger() });

    const started = performance.now();
    const summary = await poller.poll({ kind: 'all' });
    const seconds = (performance.now() - started) / 1000;
    const served = await server.stats();
    const stored = await handle.db.selectFrom('items').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    if (summary.fetched !== count || summary.failed !== 0 || summary.newItems !== count * items || stored.n !== count * items) {
      throw new Error(`fresh poll: expected ${count * items} new items, got ${JSON.stringify(summary)} and ${stored.n} rows`);
    }
    return {
      sources: summary.sources,
      seconds: round(seconds),
      sourcesPerMinute: Math.round((summary.sources / seconds) * 60),
      fetched: summary.fetched,
      failed: summary.failed,
      itemsStored: stored.n,
      itemsPerSecond: Math.round(stored.n / seconds),
      feedBytes: Math.round(served.bytes / served.full),
      ...(await pollTimes(handle, 'ok')),
    };
  });
}
