// `feedloom doctor` on a database with the drift older versions left behind, run in-process as
// users run the command (argv, output, exit status).
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from './helpers/cli.js';
import { engines } from './helpers/databases.js';
import { useTestEnvironment } from './helpers/environment.js';

describe.each(engines)('feedloom doctor on %s', (engine) => {
  // Closed between commands: an embedded data directory admits one opener.
  const environment = useTestEnvironment(engine, { open: false });
  let env: Record<string, string>;
  beforeAll(async () => {
    env = environment.cliEnv;
    await environment.withDb(async (db) => {
      const source = await db.insertInto('sources').values({ url: 'https://wire.example/feed', host: 'wire.example', title: 'Wire' }).returning('id').executeTakeFirstOrThrow();
      // A story whose counts went stale (retention used not to recount), an emptied story still
      // open (a removed source's), a copy outside its original's story, and an item in no story.
      const stale = (await db.insertInto('clusters').values({ label: 'Summit opens', item_count: 2, source_count: 2 }).returning('id').executeTakeFirstOrThrow()).id;
      await db.insertInto('clusters').values({ label: 'Gone', item_count: 2, source_count: 1 }).execute();
      const other = (await db.insertInto('clusters').values({ label: 'Elsewhere', item_count: 1, source_count: 1 }).returning('id').executeTakeFirstOrThrow()).id;
      const at = new Date(Date.UTC(2018, 6, 11, 9));
      const original = (await db.insertInto('items').values({ source_id: source.id, guid: 'w1', title: 'Summit opens in Brussels', published_at: at, cluster_id: stale }).returning('id').executeTakeFirstOrThrow()).id;
      const copy = (await db.insertInto('items').values({ source_id: source.id, guid: 'w2', title: 'Summit opens', published_at: at, cluster_id: other, duplicate_of: original, duplicate_reason: 'near', duplicate_similarity: 0.9 }).returning('id').executeTakeFirstOrThrow()).id;
      // A copy of that copy, and a merged-away story that still holds an item.
      await db.insertInto('items').values({ source_id: source.id, guid: 'w4', title: 'Summit opens (wire)', published_at: at, cluster_id: stale, duplicate_of: copy, duplicate_reason: 'near', duplicate_similarity: 0.8 }).execute();
      const away = (await db.insertInto('clusters').values({ label: 'Merged away', status: 'merged', merged_into: stale }).returning('id').executeTakeFirstOrThrow()).id;
      await db.insertInto('items').values({ source_id: source.id, guid: 'w5', title: 'Left behind in a merge', published_at: at, cluster_id: away }).execute();
      await db.insertInto('items').values({ source_id: source.id, guid: 'w3', title: 'Lost report', published_at: at }).execute();
    });
  });

  it('reports drift with exit 1, repairs it with --fix, then finds nothing', async () => {
    const found = await run(['doctor'], env);
    expect(found.code, found.stderr).toBe(1);
    expect(found.stdout).toMatch(/^\d+ problem\(s\) found:\n/);
    expect(found.stdout).toMatch(/\d+ {2}stories whose counts or time span differ/);
    expect(found.stdout).toMatch(/2 {2}copies outside their original's story/);
    expect(found.stdout).toMatch(/1 {2}items in no story/);
    expect(found.stdout).toMatch(/1 {2}copies of copies/);
    expect(found.stdout).toMatch(/1 {2}merged-away stories still holding items/);
    expect(found.stderr).toBe('feedloom: ' + found.stdout.match(/^(\d+)/)![1] + ' problem(s) found; run `feedloom doctor --fix` to repair them\n');

    const json = JSON.parse((await run(['doctor', '--json'], env)).stdout);
    expect(json).toMatchObject({ fixed: false, left: null, found: { strayCopies: [expect.any(String), expect.any(String)], homeless: [expect.any(String)] } });
    expect(json.found.miscounted.length).toBeGreaterThanOrEqual(2);

    const fixed = await run(['doctor', '--fix'], env);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/all repaired\n$/);

    expect(await run(['doctor'], env)).toEqual({ code: 0, stdout: 'stories agree with their items: no problems found\n', stderr: '' });
    // The copy now sits with its original, whose story counts both.
    const after = JSON.parse((await run(['clusters', '--json'], env)).stdout);
    // The copies now sit with their original (the chain flattened), the merged story's item with
    // the story it was merged into, and that story counts all four.
    const summit = after.clusters.find((c: { items: Array<{ guid: string }> }) => c.items.some((i) => i.guid === 'w1'));
    expect(summit).toMatchObject({ itemCount: 4, sourceCount: 1 });
    const byGuid = new Map(summit.items.map((i: { guid: string }) => [i.guid, i]));
    expect(byGuid.get('w4')).toMatchObject({ duplicateOf: (byGuid.get('w1') as { id: string }).id });
    expect(byGuid.has('w5')).toBe(true);
    expect(after.clusters.every((c: { itemCount: number; items: unknown[] }) => c.itemCount === c.items.length && c.items.length > 0)).toBe(true);
  });
});
