// Topic queries against stored stories: /api/clusters?topic=, the preview dry run, and
// `feedloom clusters --topic`, on every engine, over the story fixtures.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import { buildServer } from '../src/http/server.js';
import { silentLogger } from '../src/log/logger.js';
import * as topics from '../src/topics/topics.js';
import { createTestDatabase, engines, openTestDatabase, resetDatabase, type TestDatabase } from './helpers/databases.js';
import { seedStories } from './helpers/story-fixtures.js';

const fetch = { userAgent: 'feedloom-test', allowPrivateNetworks: true, timeoutMs: 5_000 };

describe.each(engines)('topic filters on %s', (engine) => {
  let test: TestDatabase;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const labels = async (url: string) => {
    const res = await app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().clusters.map((c: { label: string }) => c.label);
  };

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    handle = await openTestDatabase(test);
    app = await buildServer({ db: handle.db, config: { adminToken: null, publicUrl: 'http://localhost' }, fetch, logger: silentLogger() });
    await resetDatabase(handle.db);
    await seedStories(handle.db);
    await topics.addTopic(handle.db, { slug: 'helsinki', title: 'Helsinki', query: 'helsinki NOT ferry' });
    await topics.addTopic(handle.db, { slug: 'strikes', title: 'Strikes', query: '"cranes idle" OR (vote AND source:courier)' });
    await topics.addTopic(handle.db, { slug: 'wire', title: 'Wire', query: 'source:"Baltic Wire"' });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await test?.dispose();
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
    const res = await app.inject(`/api/topics/preview?since=2024-01-01&query=${encodeURIComponent('Helsinki -ferry')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ query: 'Helsinki AND NOT ferry', clusters: [{ label: 'Putin and Biden meet in Helsinki' }] });
    // By default only the last week's stories: these fixtures are older.
    expect((await app.inject('/api/topics/preview?query=helsinki')).json().clusters).toEqual([]);
    const bad = await app.inject('/api/topics/preview?query=nato%20AND');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toEqual({ code: 'invalid_query', message: 'invalid topic query: the query ends where a word, phrase or "(" was expected at position 9' });
    expect((await app.inject('/api/topics/preview')).statusCode).toBe(422);
  });

  it('refuses to save a topic whose query does not parse', async () => {
    await expect(topics.addTopic(handle.db, { slug: 'broken', title: 'B', query: '(nato OR summit' })).rejects.toThrow(/invalid topic query: missing "\)"/);
  });
});
