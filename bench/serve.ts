// Serving a cached 50-story topic feed (issue 7): requests/s of the feedloom server against a bare
// node:http server that returns the same bytes and headers, measured in the same run with the same
// load (autocannon in a child process, so that it does not share the servers' event loop), for a
// full 200 response and for the 304 answer to If-None-Match. Goal: ≥ 80% of the bare server for
// both. Also: re-rendering the feed after a change (read + render) for 50 stories; goal ≤ 20 ms.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { recount as refreshStoryCounts } from '../src/stories/story-store.js';
import type { DatabaseHandle } from '../db/connect.js';
import { buildServerWithFeeds } from '../src/http/server.js';
import { pino } from 'pino';
import { StoryChanges } from '../src/publish/story-changes.js';
import { createBenchDatabase, withCleanup } from './database.js';

const run = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 4);
/** Rounds of bare, then ours: a slow patch of the shared VM falls on both sides. */
const ROUNDS = 3;
const CONNECTIONS = 32;

/** 50 stories of 6 articles from 6 outlets, two of them copies: a busy topic feed. */
async function seed(handle: DatabaseHandle): Promise<void> {
  const { db } = handle;
  const outlets = ['Northsea Courier', 'Baltic Wire', 'Harbour Post', 'Lakeside Times', 'Morning Ledger', 'Coastal Gazette'];
  const sources = await db
    .insertInto('sources')
    .values(outlets.map((title, i) => ({ url: `https://outlet${i}.example/feed`, host: `outlet${i}.example`, title })))
    .returning('id')
    .execute();
  const start = Date.parse('2024-05-01T00:00:00Z');
  const stories: string[] = [];
  for (let s = 0; s < 50; s++) {
    const cluster = await db
      .insertInto('clusters')
      .values({ label: `Story ${s}: ministers meet over harbour strike & pay talks`, terms: JSON.stringify(['harbour', 'strike', 'pay', 'minister', 'talks']) })
      .returning('id')
      .executeTakeFirstOrThrow();
    stories.push(cluster.id);
    let original: string | null = null;
    for (let a = 0; a < 6; a++) {
      const row = await db
        .insertInto('items')
        .values({
          source_id: sources[a]!.id,
          guid: `s${s}-a${a}`,
          url: `https://outlet${a}.example/2024/05/story-${s}`,
          title: `Harbour strike, day ${s}: talks resume as ministers meet`,
          summary: `<p>Dock workers and the port authority returned to talks on day ${s} of the strike, with ministers attending for the first time.</p>`,
          published_at: new Date(start + s * 3_600_000 + a * 60_000),
          cluster_id: cluster.id,
          ...(a >= 4 && original ? { duplicate_of: original, duplicate_reason: 'near' as const, duplicate_similarity: 0.9 } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      original ??= row.id;
    }
  }
  await refreshStoryCounts(db, stories);
}

interface Load {
  requestsPerSecond: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const args = [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(SECONDS), '-j'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number }; errors: number; non2xx: number };
  return { requestsPerSecond: Math.round(result.requests.average), errors: result.errors, non2xx: result.non2xx };
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** The reference: node:http answering with the same status, headers and bytes, nothing else. */
function bareServer(body: string, headers: Record<string, string>): http.Server {
  const bytes = Buffer.from(body);
  return http.createServer((req, res) => {
    if (req.headers['if-none-match'] === headers.etag) {
      res.writeHead(304, { etag: headers.etag!, 'last-modified': headers['last-modified']!, 'cache-control': headers['cache-control']! }).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': bytes.length }).end(bytes);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function benchServe(): Promise<Record<string, number>> {
  return withCleanup(async (cleanup) => {
    const handle = await createBenchDatabase(cleanup);
    await seed(handle);
    const changes = new StoryChanges();
    const { app, feeds } = await buildServerWithFeeds({
      db: handle.db,
      config: { adminToken: null, publicUrl: 'https://news.example' },
      fetch: { userAgent: 'feedloom-bench', allowPrivateNetworks: false, timeoutMs: 5_000 },
      // The service's logger at its default level, writing nowhere: what logging costs per request counts.
      logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true })),
      changes,
    });
    cleanup.push(() => app.close());

    // Re-rendering after a change: the read and the render, as the first request after an
    // announcement pays them (a story gains an article each time, so it is a real re-render).
    const renderMs: number[] = [];
    const story = await handle.db.selectFrom('clusters').select('id').orderBy('id').executeTakeFirstOrThrow();
    const source = await handle.db.selectFrom('sources').select('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 25; i++) {
      await handle.db.insertInto('items').values({ source_id: source.id, guid: `late-${i}`, title: `Late report ${i}`, url: `https://outlet0.example/late-${i}`, published_at: new Date(), cluster_id: story.id }).execute();
      await refreshStoryCounts(handle.db, [story.id]);
      changes.announce();
      const started = performance.now();
      await feeds.topic('all', 'atom');
      renderMs.push(performance.now() - started);
    }

    const ours = await app.listen({ host: '127.0.0.1', port: 0 });
    const first = await fetch(`${ours}/feeds/all.atom`);
    const body = await first.text();
    const headers = Object.fromEntries(['content-type', 'etag', 'last-modified', 'cache-control'].map((name) => [name, first.headers.get(name)!]));
    const bare = bareServer(body, headers);
    cleanup.push(() => new Promise((resolve) => bare.close(resolve)));
    const reference = await listen(bare);

    const rounds = async (conditional: Record<string, string>) => {
      const total = { bare: { requestsPerSecond: 0, errors: 0, non2xx: 0 }, ours: { requestsPerSecond: 0, errors: 0, non2xx: 0 } };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [side, base] of [['bare', reference], ['ours', ours]] as const) {
          const result = await load(`${base}/feeds/all.atom`, conditional);
          total[side].requestsPerSecond += result.requestsPerSecond / ROUNDS;
          total[side].errors += result.errors;
          total[side].non2xx += result.non2xx;
        }
      }
      for (const side of [total.bare, total.ours]) side.requestsPerSecond = Math.round(side.requestsPerSecond);
      return total;
    };
    const { bare: bare200, ours: ours200 } = await rounds({});
    const { bare: bare304, ours: ours304 } = await rounds({ 'if-none-match': headers.etag! });
    return {
      feedBytes: Buffer.byteLength(body),
      stories: 50,
      secondsPerRun: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      bareRequestsPerSecond: bare200.requestsPerSecond,
      oursRequestsPerSecond: ours200.requestsPerSecond,
      ratio200: Number((ours200.requestsPerSecond / bare200.requestsPerSecond).toFixed(2)),
      bare304RequestsPerSecond: bare304.requestsPerSecond,
      ours304RequestsPerSecond: ours304.requestsPerSecond,
      ratio304: Number((ours304.requestsPerSecond / bare304.requestsPerSecond).toFixed(2)),
      errors: bare200.errors + ours200.errors + bare304.errors + ours304.errors,
      unexpectedStatus: bare200.non2xx + ours200.non2xx,
      rerenderMsMedian: Number(median(renderMs).toFixed(1)),
      rerenderMsMax: Number(Math.max(...renderMs).toFixed(1)),
    };
  });
}
