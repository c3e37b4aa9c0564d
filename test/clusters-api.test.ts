// The public story API (GET /api/clusters, /api/clusters/{id}, /api/items) and `feedloom clusters`,
// on every engine, over stories written straight into the database (test/helpers/story-fixtures.ts).
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { engines } from './helpers/databases.js';
import { useTestEnvironment } from './helpers/environment.js';
import { CLUSTER_ORDER, ITEM_ORDER, insertCluster, insertItem, seedStories } from './helpers/story-fixtures.js';

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

describe.each(engines)('story API on %s', (engine) => {
  const env = useTestEnvironment(engine, { reset: true, app: {} });
  const get = async (url: string) => env.app.inject(url);
  const json = async (url: string) => {
    const res = await env.app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeEach(async () => seedStories(env.db));

  it('lists clusters newest first with all their items, merged ones left out', async () => {
    const body = await json('/api/clusters');
    expect(body.nextCursor).toBeNull();
    expect(ids(body.clusters)).toEqual(CLUSTER_ORDER);
    const [first] = body.clusters;
    expect(first).toEqual({
      id: '1',
      label: 'Putin and Biden meet in Helsinki',
      createdAt: '2024-05-01T00:00:00.000Z',
      updatedAt: '2024-05-01T00:00:00.000Z',
      firstPublishedAt: '2024-05-01T10:00:00.000Z',
      lastPublishedAt: '2024-05-01T12:30:00.000Z',
      itemCount: 3,
      sourceCount: 3,
      terms: ['e:helsinki', 'putin', 'summit'],
      items: [
        {
          id: '1',
          guid: 'courier-1',
          url: 'https://courier.example/world/helsinki',
          title: 'Putin and Biden to meet in Helsinki',
          summary: '<p>The two leaders will hold a summit.</p>',
          author: 'A. Writer',
          publishedAt: '2024-05-01T10:00:00.000Z',
          fetchedAt: '2024-05-01T10:00:00.000Z',
          source: { id: '1', title: 'Northsea Courier', url: 'https://courier.example/rss' },
          clusterId: '1',
          duplicateOf: null,
        },
        expect.objectContaining({ id: '3', duplicateOf: '1', source: { id: '3', title: null, url: 'https://harbour.example/atom' } }),
        expect.objectContaining({ id: '2', duplicateOf: null, publishedAt: '2024-05-01T12:30:00.000Z' }),
      ],
    });
    expect(first).not.toHaveProperty('items.0.membership');
    // A story without items (all of them pruned, or their source removed) is not listed.
    expect(body.clusters.find((c: { id: string }) => c.id === '9')).toBeUndefined();
    // An item without a published time shows its fetch time and no invented publication.
    expect(body.clusters.find((c: { id: string }) => c.id === '8').items[0]).toMatchObject({ publishedAt: null, fetchedAt: '2024-05-01T06:00:00.000Z', title: null });
  });

  it('filters clusters by size, sources and time', async () => {
    expect(ids((await json('/api/clusters?minItems=2')).clusters)).toEqual(['1']);
    expect(ids((await json('/api/clusters?minSources=3&minItems=1')).clusters)).toEqual(['1']);
    expect(ids((await json('/api/clusters?minSources=4')).clusters)).toEqual([]);
    // since/until select clusters whose time span overlaps the window.
    expect(ids((await json('/api/clusters?since=2024-05-01T08:00:00Z')).clusters)).toEqual(['1', '3', '4']);
    expect(ids((await json('/api/clusters?since=2024-05-01T11:00:00%2B02:00&until=2024-05-01T10:00Z')).clusters)).toEqual(['1', '3']);
    expect(ids((await json('/api/clusters?until=2024-04-30')).clusters)).toEqual(['10']);
    expect(ids((await json('/api/clusters?since=2024-05-01&until=2024-05-01T06:00:00Z')).clusters)).toEqual(['8', '7']);
  });

  it('pages clusters with a keyset cursor that stays put while stories arrive', async () => {
    const first = await json('/api/clusters?limit=4');
    expect(ids(first.clusters)).toEqual(CLUSTER_ORDER.slice(0, 4));
    expect(first.nextCursor).toEqual(expect.any(String));
    // A newer story and one that falls inside the page already seen: neither shifts the next pages.
    await insertCluster(env.db, { label: 'Breaking', first: '2024-05-01T14:00:00Z', last: '2024-05-01T14:00:00Z', items: 1, sources: 1 });
    await insertCluster(env.db, { label: 'In between', first: '2024-05-01T07:30:00Z', last: '2024-05-01T07:30:00Z', items: 1, sources: 1 });
    const second = await json(`/api/clusters?limit=4&cursor=${first.nextCursor}`);
    // 07:00:00.123456 then 07:00:00.123200: the cursor keeps microseconds; 06:00 ties go by id.
    expect(ids(second.clusters)).toEqual(CLUSTER_ORDER.slice(4, 8));
    // The empty story 9 is not listed: nothing after the second page.
    expect(second.nextCursor).toBeNull();
    // Filters carry on across pages.
    const one = await json('/api/clusters?limit=1&minItems=1&since=2024-05-01');
    const two = await json(`/api/clusters?limit=1&minItems=1&since=2024-05-01&cursor=${one.nextCursor}`);
    expect([...ids(one.clusters), ...ids(two.clusters)]).toEqual(['11', '1']);
  });

  it('pages through every cluster one at a time, each exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { clusters: Array<{ id: string }>; nextCursor: string | null } = await json(`/api/clusters?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page.clusters));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(CLUSTER_ORDER);
  });

  it('finds clusters by full-text search over their items', async () => {
    expect(ids((await json('/api/clusters?q=helsinki')).clusters)).toEqual(['1']);
    // English items are stemmed: "election" finds "elections" in a summary.
    expect(ids((await json('/api/clusters?q=election')).clusters)).toEqual(['4']);
    expect(ids((await json(`/api/clusters?q=${encodeURIComponent('"summit: leaders" OR lighthouse')}`)).clusters)).toEqual(['1', '8']);
    expect(ids((await json('/api/clusters?q=helsinki%20-putin')).clusters)).toEqual(['1']);
    expect(ids((await json('/api/clusters?q=zeppelin')).clusters)).toEqual([]);
    // Punctuation and operators alone are not an error.
    expect((await json(`/api/clusters?q=${encodeURIComponent('"" OR - & !')}`)).clusters).toEqual([]);
    expect(ids((await json('/api/clusters?q=')).clusters)).toEqual(CLUSTER_ORDER);
  });

  it('answers bad parameters with 400 and the error shape', async () => {
    const topic = await get('/api/clusters?topic=nato');
    expect(topic.statusCode).toBe(404);
    expect(topic.json()).toEqual({ error: { code: 'not_found', message: 'no topic "nato"' } });
    const cases: Array<[string, string]> = [
      ['/api/clusters?since=yesterday', 'bad_since'],
      ['/api/clusters?since=2024-02-30', 'bad_since'],
      ['/api/clusters?until=2024-05-01T25:00Z', 'bad_until'],
      ['/api/clusters?minItems=0', 'bad_min_items'],
      ['/api/clusters?minItems=1.5', 'bad_min_items'],
      ['/api/clusters?minSources=-1', 'bad_min_sources'],
      ['/api/clusters?minSources=99999999999', 'bad_min_sources'],
      ['/api/clusters?limit=0', 'bad_limit'],
      ['/api/clusters?limit=501', 'bad_limit'],
      ['/api/clusters?cursor=zzz', 'bad_cursor'],
      [`/api/clusters?cursor=${Buffer.from('["2024-13-01T00:00:00.000000Z","1"]').toString('base64url')}`, 'bad_cursor'],
      [`/api/clusters?cursor=${Buffer.from('[null,"x"]').toString('base64url')}`, 'bad_cursor'],
      ['/api/clusters?q=a&q=b', 'bad_q'],
      ['/api/items?source=abc', 'bad_source'],
      ['/api/items?cluster=1e3', 'bad_cluster'],
      ['/api/items?since=05/01/2024', 'bad_since'],
      [`/api/items?cursor=${Buffer.from('[null,"1"]').toString('base64url')}`, 'bad_cursor'],
      [`/api/items?q=${'x'.repeat(501)}`, 'bad_q'],
    ];
    for (const [url, code] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toEqual({ error: { code, message: expect.any(String) } });
    }
    expect((await get('/api/clusters?limit=500')).statusCode).toBe(200);
  });

  it('shows one cluster, 404s unknown ids and redirects merged ones', async () => {
    for (const url of ['/api/clusters/999', '/api/clusters/abc', '/api/clusters/99999999999999999999']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    const merged = await get('/api/clusters/2');
    expect(merged.statusCode).toBe(308);
    expect(merged.headers.location).toBe('/api/clusters/1');
    const one = await json('/api/clusters/4');
    expect(one).toMatchObject({ id: '4', label: 'Estonia calls early vote', itemCount: 1, items: [{ id: '5', clusterId: '4' }] });
  });

  it('explains why each item is in its story', async () => {
    const cluster = await json('/api/clusters/1');
    expect(ids(cluster.items)).toEqual(['1', '3', '2']);
    const [original, copy, similar] = cluster.items;
    expect(original.membership).toEqual({
      reason: 'new story', similarity: null, sharedTerms: [], timeGapHours: null, duplicateOf: null, duplicateReason: null,
    });
    expect(copy).toMatchObject({ duplicateOf: '1', membership: { reason: 'duplicate', duplicateOf: '1', duplicateReason: 'near', sharedTerms: [], timeGapHours: null } });
    expect(copy.membership.similarity).toBeCloseTo(0.93, 5);
    expect(similar.membership).toMatchObject({
      reason: 'similar', sharedTerms: ['e:helsinki', 'putin'], timeGapHours: 2.5, duplicateOf: null, duplicateReason: null,
    });
    expect(similar.membership.similarity).toBeCloseTo(0.41, 5);
    // An item without a recorded reason is the start of its story.
    expect((await json('/api/clusters/3')).items[0].membership).toMatchObject({ reason: 'new story', similarity: null });
  });

  it('lists items newest first, filtered, with a stable cursor', async () => {
    const all = await json('/api/items');
    expect(ids(all.items)).toEqual(ITEM_ORDER);
    expect(all.nextCursor).toBeNull();
    expect(all.items[0]).toEqual({
      id: '2',
      guid: 'wire-1',
      url: 'https://wire.example/2024/helsinki-summit',
      title: 'Helsinki summit: leaders meet',
      summary: null,
      author: null,
      publishedAt: '2024-05-01T12:30:00.000Z',
      fetchedAt: '2024-05-01T12:30:00.000Z',
      source: { id: '2', title: 'Baltic Wire', url: 'https://wire.example/feed' },
      clusterId: '1',
      duplicateOf: null,
    });
    expect(ids((await json('/api/items?source=3')).items)).toEqual(['3', '6', '9']);
    expect(ids((await json('/api/items?cluster=1')).items)).toEqual(['2', '3', '1']);
    expect(ids((await json('/api/items?cluster=1&source=1')).items)).toEqual(['1']);
    expect(ids((await json('/api/items?since=2024-05-01T09:00:00Z')).items)).toEqual(['2', '3', '1', '4']);
    expect(ids((await json('/api/items?q=helsinki&source=3')).items)).toEqual(['3']);
    expect(ids((await json('/api/items?q=lighthouse')).items)).toEqual(['9']);
    expect((await json('/api/items?source=999')).items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = false;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = await json(`/api/items?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page.items));
      cursor = page.nextCursor;
      if (!inserted) {
        // New arrivals (newest, and inside the page already seen) do not shift later pages.
        await insertItem(env.db, { source_id: '1', guid: 'late-1', title: 'Late news', published_at: '2024-05-01T15:00:00Z', cluster_id: '1' });
        await insertItem(env.db, { source_id: '2', guid: 'late-2', title: 'Late copy', published_at: '2024-05-01T11:30:00Z', cluster_id: '1' });
        inserted = true;
      }
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(ITEM_ORDER);
  });
});

describe.each(engines)('feedloom clusters on %s', (engine) => {
  // Closed between commands: each opens the database, as in its own process.
  const env = useTestEnvironment(engine, { open: false });
  const cli = (args: string[]) => runCli(args, env.cliEnv);
  beforeAll(() => env.withDb(seedStories));

  it('prints clusters as JSON in the API shape', async () => {
    const result = await cli(['clusters', '--json', '--limit', '3']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(Object.keys(body)).toEqual(['clusters']);
    expect(ids(body.clusters)).toEqual(CLUSTER_ORDER.slice(0, 3));
    expect(body.clusters[0]).toMatchObject({
      id: '1',
      label: 'Putin and Biden meet in Helsinki',
      itemCount: 3,
      sourceCount: 3,
      lastPublishedAt: '2024-05-01T12:30:00.000Z',
      items: [{ id: '1' }, { id: '3', duplicateOf: '1' }, { id: '2' }],
    });
    const since = JSON.parse((await cli(['clusters', '--json', '--since', '2024-05-01T08:00:00Z'])).stdout);
    expect(ids(since.clusters)).toEqual(['1', '3', '4']);
  });

  it('prints one block per cluster for humans, copies marked', async () => {
    const result = await cli(['clusters', '--since', '2024-05-01T07:00Z']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '#1 Putin and Biden meet in Helsinki  (3 items, 3 sources, 2024-05-01T12:30:00.000Z)',
        '  - Northsea Courier: Putin and Biden to meet in Helsinki https://courier.example/world/helsinki',
        '  - https://harbour.example/atom: Putin and Biden to meet in Helsinki https://harbour.example/news/helsinki (copy)',
        '  - Baltic Wire: Helsinki summit: leaders meet https://wire.example/2024/helsinki-summit',
        '',
        '#3 Harbour cranes idle during strike  (1 items, 1 sources, 2024-05-01T09:00:00.000Z)',
        '  - Baltic Wire: Harbour cranes idle during strike https://wire.example/cranes',
        '',
        '#4 Estonia calls early vote  (1 items, 1 sources, 2024-05-01T08:00:00.000Z)',
        '  - Northsea Courier: Estonia calls early vote https://courier.example/estonia',
        '',
        '#5 Ferry timetable changes  (1 items, 1 sources, 2024-05-01T07:00:00.123Z)',
        '  - https://harbour.example/atom: Ferry timetable changes',
        '',
        '#6 New pier opens  (1 items, 1 sources, 2024-05-01T07:00:00.123Z)',
        '  - Northsea Courier: New pier opens https://courier.example/pier',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 on an unknown --topic and 2 on bad --since or --limit', async () => {
    const topic = await cli(['clusters', '--topic', 'nato']);
    expect(topic.code).toBe(1);
    expect(topic.stderr).toBe('feedloom: no topic "nato"\n');
    for (const args of [['--since', 'yesterday'], ['--limit', '501']]) {
      const result = await cli(['clusters', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
