import { afterEach, describe, expect, it, vi } from 'vitest';
import { FeedCache, MAX_UNCHECKED_MS, type Loaded, type Served } from './feed-cache.js';
import { StoryChanges } from './story-changes.js';

/** A loader over a mutable "database": counts its reads, renders what it holds. */
function source(initial: string) {
  const state = { content: initial, reads: 0 };
  const load = async (): Promise<Loaded<never>> => {
    state.reads += 1;
    const content = state.content;
    return { snapshot: { fingerprint: content, render: () => ({ body: `<feed>${content}</feed>`, lastModified: new Date(0) }) } };
  };
  return { state, load };
}

const bodyOf = (served: Served<unknown>) => ('rendered' in served ? served.rendered.body.toString() : null);

describe('FeedCache', () => {
  afterEach(() => vi.useRealTimers());

  it('reads the database again only after an announcement, and renders again only if the content moved', async () => {
    const changes = new StoryChanges();
    const cache = new FeedCache(changes);
    const { state, load } = source('a');
    const first = await cache.get('k', load);
    await cache.get('k', load);
    expect(state.reads).toBe(1);
    changes.announce();
    const same = await cache.get('k', load);
    expect(state.reads).toBe(2);
    expect(same).toEqual(first);
    state.content = 'b';
    expect(await cache.get('k', load)).toEqual(same);
    changes.announce();
    expect(bodyOf(await cache.get('k', load))).toBe('<feed>b</feed>');
  });

  it('lets concurrent requests share one read, and re-reads when a change is announced during a read', async () => {
    const changes = new StoryChanges();
    const cache = new FeedCache(changes);
    const { state, load } = source('a');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async () => {
      const result = await load();
      await gate;
      return result;
    };
    const pending = [cache.get('k', slow), cache.get('k', slow), cache.get('k', slow)];
    changes.announce();
    state.content = 'b';
    release();
    const results = await Promise.all(pending);
    expect(state.reads).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    // The reading began before the announcement, so it is not trusted after it.
    expect(bodyOf(await cache.get('k', load))).toBe('<feed>b</feed>');
  });

  it('checks on every request while notices may be missed, and after MAX_UNCHECKED_MS anyway', async () => {
    vi.useFakeTimers();
    const changes = new StoryChanges();
    const cache = new FeedCache(changes);
    const { state, load } = source('a');
    await cache.get('k', load);
    changes.complete = false;
    await cache.get('k', load);
    await cache.get('k', load);
    expect(state.reads).toBe(3);
    changes.complete = true;
    await cache.get('k', load);
    expect(state.reads).toBe(3);
    vi.advanceTimersByTime(MAX_UNCHECKED_MS + 1);
    await cache.get('k', load);
    expect(state.reads).toBe(4);
  });

  it('does not keep answers that are not feeds', async () => {
    const changes = new StoryChanges();
    const cache = new FeedCache(changes);
    let reads = 0;
    const missing = async (): Promise<Loaded<string>> => {
      reads += 1;
      return { instead: 'missing' };
    };
    expect(await cache.get('k', missing)).toEqual({ instead: 'missing' });
    expect(await cache.get('k', missing)).toEqual({ instead: 'missing' });
    expect(reads).toBe(2);
  });
});
