// `feedloom` as real processes, through the real entry point (test/helpers/cli-entry.ts): the
// long-running commands, which stop on signals, and one usage error and one one-shot command for
// the entry itself (exit codes, real stdin). Everything else the CLI does is in cli.test.ts,
// in-process. Each process starts through tsx and opens its database: on a busy 2-core machine
// that takes a while, hence the longer timeout.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { engines } from './helpers/databases.js';
import { exitOf, runCli, runCliProcess, startCli, waitForOutput } from './helpers/cli.js';
import { useTestEnvironment } from './helpers/environment.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe.each(engines)('feedloom serve on %s', { timeout: 180_000 }, (engine) => {
  const env = useTestEnvironment(engine, { open: false });

  it('serves /healthz, stops cleanly on SIGTERM, and keeps the data', async () => {
    const { cliEnv } = env;
    await runCli(['topics', 'add', 'kept', '--title', 'Kept', '--query', 'kept'], cliEnv);
    const serve = startCli(['serve'], { ...cliEnv, PORT: '0' });
    const [, url] = await waitForOutput(serve, /"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

    const concurrent = await runCli(['topics', 'list', '--json'], cliEnv);
    if (engine === 'pglite') {
      // One process per embedded database: a second one is told who holds it, and touches nothing.
      expect(concurrent.code).toBe(1);
      expect(concurrent.stderr).toMatch(/in use by another feedloom process \(pid \d+ .*feedloom serve, serving http:\/\/127\.0\.0\.1:\d+/);
    } else {
      expect(concurrent.code).toBe(0);
    }

    serve.kill('SIGTERM');
    expect(await exitOf(serve)).toBe(0);
    if (engine === 'pglite') await expect(access(path.join(env.database.dataDir, 'feedloom.lock'))).rejects.toThrow();
    const after = await runCli(['topics', 'list', '--json'], cliEnv);
    expect(JSON.parse(after.stdout).topics.map((t: { slug: string }) => t.slug)).toContain('kept');
  });
});

describe('feedloom worker', { timeout: 180_000 }, () => {
  const env = useTestEnvironment('pglite', { open: false, feeds: true });
  beforeAll(async () => {
    env.server.route('/courier.xml', { headers: { 'content-type': 'application/rss+xml' }, body: await readFile(fixture('northsea-courier.rss.xml')) });
  });

  it('polls due sources on its schedule, and stops cleanly on SIGTERM', async () => {
    const { cliEnv } = env;
    const source = JSON.parse((await runCli(['sources', 'add', env.server.url('/courier.xml'), '--json'], cliEnv)).stdout);
    // Every second: the new source is due at once.
    const worker = startCli(['worker'], { ...cliEnv, POLL_CRON: '* * * * * *' });
    const [line] = await waitForOutput(worker, /\{[^\n]*"msg":"poll run done"[^\n]*\}/);
    expect(JSON.parse(line)).toMatchObject({ sources: 1, fetched: 1, newItems: 2 });
    // It holds the embedded database as a worker, serving nothing.
    const concurrent = await runCli(['sources', 'list'], cliEnv);
    expect(concurrent.code).toBe(1);
    expect(concurrent.stderr).toMatch(/in use by another feedloom process \(pid \d+ .*: feedloom worker, since /);

    worker.kill('SIGTERM');
    expect(await exitOf(worker)).toBe(0);
    const list = JSON.parse((await runCli(['sources', 'list', '--json'], cliEnv)).stdout);
    expect(list.sources).toMatchObject([{ id: source.id, itemCount: 2, errorCount: 0 }]);
  });
});

describe('the feedloom entry point', { timeout: 120_000 }, () => {
  it('exits 2 on bad usage, saying why', async () => {
    const result = await runCliProcess(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('runs a one-shot command on real stdin: inspect --batch answers line by line', async () => {
    const good = fileURLToPath(fixture('northsea-courier.rss.xml'));
    const input = `${JSON.stringify({ path: good })}\r\nnot json\n${JSON.stringify({ path: '/missing.xml' })}\n`;
    const result = await runCliProcess(['inspect', '--batch'], {}, input);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { path: good, feed: { title: 'Northsea Courier — World' } },
      { path: null, error: { kind: 'request' } },
      { path: '/missing.xml', error: { kind: 'read' } },
    ]);
  });
});
