// Topic queries against stored stories: /api/clusters?topic=, the preview dry run, and
// `feedloom clusters --topic`, on every engine, over the story fixtures.
import { beforeAll, describe, expect, it } from 'vitest';
import * as topics from '../src/topics/topics.js';
import { engines, resetDatabase } from './helpers/databases.js';
import { useStoryServer } from './helpers/story-server.js';
import { seedStories } from './helpers/story-fixtures.js';


describe.each(engines)('topic filters on %s', (engine) => {
  const env = useStoryServer(engine, {});
  const labels = async (url: string) => {
    const res = await env.app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().clusters.map((c: { label: string }) => c.label);
  };

  beforeAll(async () => {
    await resetDatabase(env.db);
    await seedStories(env.db);
    await topics.addTopic(env.db, { slug: 'helsinki', title: 'Helsinki', query: 'helsinki NOT ferry' });
    await topics.addTopic(env.db, { slug: 'strikes', title: 'Strikes', query: '"cranes idle" OR (vote AND source:courier)' });
    await topics.addTopic(env.db, { slug: 'wire', title: 'Wire', query: 'source:"Baltic Wire"' });
  });

  it('lists the stories with an item matching the topic query', async () => {
    expect(await labels('/api/clusters?topic=helsinki')).toEqual(['Putin and Biden meet in Helsinki']);
    expect(await labels('/api/clusters?topic=strikes')).toEqual(expect.arrayContaining(['Harbour cranes idle during strike']));
    const all = await labels('/api/clusters');
    expect(await labels('/api/clusters?topic=all')).toEqual(all);
    const wire = await labels('/api/clusters?topic=wire');
    expect(wire.length).toBeGreaterThan(0);
    expect(wire.length).toBeLessThan(all.length);
  });

  it('previews a query before it is saved, and says what is wrong with a bad one', async () => {
    const res = await env.app.inject(`/api/topics/preview?since=2024-01-01&query=${encodeURIComponent('Helsinki -ferry')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ query: 'Helsinki AND NOT ferry', clusters: [{ label: 'Putin and Biden meet in Helsinki' }] });
    // By default only the last week's stories: these fixtures are older.
    expect((await env.app.inject('/api/topics/preview?query=helsinki')).json().clusters).toEqual([]);
    const bad = await env.app.inject('/api/topics/preview?query=nato%20AND');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toEqual({ code: 'invalid_query', message: 'invalid topic query: the query ends where a word, phrase or "(" was expected at position 9' });
    expect((await env.app.inject('/api/topics/preview')).statusCode).toBe(422);
  });

  it('refuses to save a topic whose query does not parse', async () => {
    await expect(topics.addTopic(env.db, { slug: 'broken', title: 'B', query: '(nato OR summit' })).rejects.toThrow(/invalid topic query: missing "\)"/);
  });
});
