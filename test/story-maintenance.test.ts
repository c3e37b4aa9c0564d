// Story maintenance on every engine: merging converged stories (the merged-away id keeps
// redirecting), splitting an over-grown one by hand, and closing idle ones.
import { beforeEach, describe, expect, it } from 'vitest';
import { closeIdle as closeIdleStories, merge as mergeStories, recount as refreshStoryCounts } from '../src/stories/story-store.js';
import { engines, resetDatabase } from './helpers/databases.js';
import { useStoryServer } from './helpers/story-server.js';

const TOKEN = 'maintenance-token';

describe.each(engines)('story maintenance on %s', (engine) => {
  const env = useStoryServer(engine, { adminToken: TOKEN });
  let stories: { a: string; b: string };
  let items: string[];

  beforeEach(async () => {
    const { db } = env;
    await resetDatabase(db);
    const source = await db.insertInto('sources').values({ url: 'https://wire.example/feed', host: 'wire.example', title: 'Wire' }).returning('id').executeTakeFirstOrThrow();
    const other = await db.insertInto('sources').values({ url: 'https://post.example/feed', host: 'post.example', title: 'Post' }).returning('id').executeTakeFirstOrThrow();
    const a = (await db.insertInto('clusters').values({ label: 'Divers reach the boys' }).returning('id').executeTakeFirstOrThrow()).id;
    const b = (await db.insertInto('clusters').values({ label: 'Cave rescue begins' }).returning('id').executeTakeFirstOrThrow()).id;
    stories = { a, b };
    const at = (hour: number) => new Date(Date.UTC(2018, 6, 8, hour));
    const rows = [
      { source_id: source.id, guid: 'w1', title: 'Divers reach the boys', published_at: at(1), cluster_id: a },
      { source_id: other.id, guid: 'p1', title: 'Boys found alive', published_at: at(2), cluster_id: a },
      { source_id: source.id, guid: 'w2', title: 'Rescue begins at dawn', published_at: at(3), cluster_id: b },
      { source_id: other.id, guid: 'p2', title: 'First boys out of the cave', published_at: at(5), cluster_id: b },
    ];
    items = [];
    for (const row of rows) items.push((await db.insertInto('items').values(row).returning('id').executeTakeFirstOrThrow()).id);
    // A copy of p2 (wire copy) sits in p2's story.
    items.push((await db.insertInto('items').values({ source_id: source.id, guid: 'w3', title: 'First boys out', published_at: at(6), cluster_id: b, duplicate_of: items[3]!, duplicate_reason: 'near', duplicate_similarity: 0.8 }).returning('id').executeTakeFirstOrThrow()).id);
    await refreshStoryCounts(db, [a, b]);
  });

  it('merges a story into another: items move, and the old id redirects for good', async () => {
    await mergeStories(env.db, stories.b, stories.a);
    const merged = await env.app.inject(`/api/clusters/${stories.b}`);
    expect(merged.statusCode).toBe(308);
    expect(merged.headers.location).toBe(`/api/clusters/${stories.a}`);
    const kept = (await env.app.inject(`/api/clusters/${stories.a}`)).json();
    expect(kept).toMatchObject({ id: stories.a, itemCount: 5, sourceCount: 2 });
    expect((await env.app.inject('/api/clusters')).json().clusters.map((c: { id: string }) => c.id)).toEqual([stories.a]);
  });

  it('splits chosen items, with their copies, into a new story (admin only)', async () => {
    const body = { itemIds: [items[3]!] };
    expect((await env.app.inject({ method: 'POST', url: `/api/clusters/${stories.b}/split`, payload: body })).statusCode).toBe(401);
    const res = await env.app.inject({ method: 'POST', url: `/api/clusters/${stories.b}/split`, payload: body, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(res.headers.location).toBe(`/api/clusters/${created.id}`);
    expect(created).toMatchObject({ label: 'First boys out of the cave', itemCount: 2 });
    expect(created.items.map((i: { id: string }) => i.id)).toEqual([items[3], items[4]]);
    expect((await env.app.inject(`/api/clusters/${stories.b}`)).json()).toMatchObject({ itemCount: 1 });
    // Items that are not in the story: a clear 422, nothing moved.
    const wrong = await env.app.inject({ method: 'POST', url: `/api/clusters/${stories.b}/split`, payload: { itemIds: [items[0]!] }, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('not_in_story');
    const bad = await env.app.inject({ method: 'POST', url: `/api/clusters/${stories.b}/split`, payload: { itemIds: [] }, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.statusCode).toBe(400);
  });

  it('closes stories idle for longer than asked', async () => {
    const now = new Date(Date.UTC(2018, 6, 10, 4));
    expect(await closeIdleStories(env.db, 48, now)).toBe(1);
    const status = await env.db.selectFrom('clusters').select(['id', 'status']).orderBy('id').execute();
    expect(status).toEqual([
      { id: stories.a, status: 'closed' },
      { id: stories.b, status: 'open' },
    ]);
  });
});
