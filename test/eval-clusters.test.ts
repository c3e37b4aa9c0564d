// `feedloom eval clusters` as users run it, in this process: the production store path in a
// throwaway embedded database, scores in the interface's shape.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const fixture = new URL('../src/cluster/testdata/july-2018-stream.jsonl', import.meta.url);
// The first 30 articles: six events, and one wire story republished under another headline.
const ARTICLES = 30;

// Each run creates its embedded database from nothing (initdb, in WebAssembly): on a busy 2-core
// machine that alone can take most of a minute.
describe('feedloom eval clusters', { timeout: 180_000 }, () => {
  let dir: string;
  let subset: string;
  let articles: Array<{ id: string; event: string; summary: string }>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'feedloom-eval-test-'));
    const lines = (await readFile(fixture, 'utf8')).split('\n').filter(Boolean).slice(0, ARTICLES);
    articles = lines.map((l) => JSON.parse(l));
    subset = path.join(dir, 'subset.jsonl');
    await writeFile(subset, `${lines.join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('scores the stories it builds, and writes assignments an external scorer agrees with', async () => {
    const pred = path.join(dir, 'pred.tsv');
    const result = await runCli(['eval', 'clusters', subset, '--json', '--pred', pred]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const scores = JSON.parse(result.stdout);
    expect(Object.keys(scores).sort()).toEqual(['articles', 'bcubed', 'clusters', 'events', 'pairwise', 'seconds']);
    expect(scores.articles).toBe(ARTICLES);
    expect(scores.events).toBe(new Set(articles.map((a) => a.event)).size);
    // Every article is in exactly one story.
    const assigned = (await readFile(pred, 'utf8')).split('\n').filter(Boolean).map((l) => l.split('\t'));
    expect(assigned.map(([id]) => id).sort()).toEqual(articles.map((a) => a.id).sort());
    expect(new Set(assigned.map(([, story]) => story)).size).toBe(scores.clusters);
    for (const key of ['bcubed', 'pairwise'] as const) {
      expect(scores[key].precision).toBeGreaterThan(0.5);
      expect(scores[key].f1).toBeLessThanOrEqual(1);
    }
    // Wire copy (the same text under another headline) is deduplicated into its original's story.
    const story = new Map(assigned as Array<[string, string]>);
    const bySummary = new Map<string, string[]>();
    for (const a of articles) bySummary.set(a.summary, [...(bySummary.get(a.summary) ?? []), a.id]);
    const copies = [...bySummary.values()].filter((ids) => ids.length > 1);
    expect(copies.length).toBeGreaterThan(0);
    for (const ids of copies) expect(new Set(ids.map((id) => story.get(id))).size).toBe(1);
  });

  it('prints a readable summary without --json', async () => {
    const result = await runCli(['eval', 'clusters', subset]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${ARTICLES} articles, \\d+ events → \\d+ stories in [\\d.]+ s\\nB-cubed {3}precision [\\d.]+ {2}recall [\\d.]+ {2}F1 [\\d.]+\\npairwise`));
  });

  it('refuses unreadable or malformed input with one line and exit 1', async () => {
    const missing = await runCli(['eval', 'clusters', path.join(dir, 'nope.jsonl')]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/^feedloom: cannot read .*nope\.jsonl: ENOENT\n$/) });
    const broken = path.join(dir, 'broken.jsonl');
    await writeFile(broken, '{"id":"a","event":"x","title":"T"}\n{"id":"b"\n');
    expect(await runCli(['eval', 'clusters', broken])).toMatchObject({ code: 1, stderr: 'feedloom: line 2: not JSON\n' });
    await writeFile(broken, '{"id":"a","title":"T"}\n');
    expect(await runCli(['eval', 'clusters', broken])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^feedloom: line 1: event: /) });
    expect((await runCli(['eval', 'clusters'])).code).toBe(2);
  });
});
