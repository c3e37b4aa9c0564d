// Rendered feeds, kept per (feed, format) with a fingerprint of what they show (the stories' ids,
// sizes and last changes). A cached rendering is served without asking the database until a change
// is announced (story-changes.ts); the next request then reads the stories, and renders again only
// if the fingerprint moved, so a feed whose stories did not change keeps its bytes and its ETag.
// Without announcements (a notice may be lost) a rendering is re-checked after MAX_UNCHECKED_MS.
import { createHash } from 'node:crypto';
import type { StoryChanges } from './story-changes.js';

export interface RenderedFeed {
  fingerprint: string;
  /** UTF-8, encoded once: sending a string would encode it again on every request. */
  body: Buffer;
  /** Strong: a hash of the bytes. */
  etag: string;
  lastModified: Date;
  /** lastModified as an HTTP date, formatted once. */
  lastModifiedHttp: string;
}

/** What a feed's loader finds in the database: the fingerprint, and how to render it. */
export interface FeedSnapshot {
  fingerprint: string;
  render(): { body: string; lastModified: Date };
}

/** A loader's answer: a feed to render, or something else to answer instead (not cached). */
export type Loaded<T> = { snapshot: FeedSnapshot } | { instead: T };
export type Served<T> = { rendered: RenderedFeed } | { instead: T };

/** Re-check a rendering this often even if no change was announced (a missed notice is not forever). */
export const MAX_UNCHECKED_MS = 5 * 60_000;
/** Renderings kept; story feeds are one per story, so the least recently refreshed make room. */
const MAX_ENTRIES = 2_000;

interface Entry {
  rendered: RenderedFeed;
  /** The announcement count when the rendering was last confirmed against the database. */
  generation: number;
  checkedAt: number;
}

export class FeedCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Served<unknown>>>();
  private generation = 0;

  constructor(private readonly changes: StoryChanges) {
    changes.subscribe(() => {
      this.generation += 1;
    });
  }

  /** The rendering of `key` if it can be served without asking the database, else null. */
  peek(key: string): RenderedFeed | null {
    const entry = this.entries.get(key);
    if (entry && entry.generation === this.generation && this.changes.complete && Date.now() - entry.checkedAt < MAX_UNCHECKED_MS) {
      return entry.rendered;
    }
    return null;
  }

  /** The rendering of `key`, served from memory while nothing changed. */
  async get<T = never>(key: string, load: () => Promise<Loaded<T>>): Promise<Served<T>> {
    const fresh = this.peek(key);
    if (fresh) return { rendered: fresh };
    // Concurrent requests after a change share one database read.
    let pending = this.loading.get(key) as Promise<Served<T>> | undefined;
    if (!pending) {
      pending = this.refresh(key, load).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async refresh<T>(key: string, load: () => Promise<Loaded<T>>): Promise<Served<T>> {
    // A change announced while we read makes this reading stale: it keeps the older generation.
    const generation = this.generation;
    const loaded = await load();
    if ('instead' in loaded) {
      this.entries.delete(key);
      return loaded;
    }
    const { snapshot } = loaded;
    const previous = this.entries.get(key)?.rendered;
    let rendered: RenderedFeed;
    if (previous && previous.fingerprint === snapshot.fingerprint) {
      rendered = previous;
    } else {
      const { lastModified, ...text } = snapshot.render();
      const body = Buffer.from(text.body);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      rendered = { fingerprint: snapshot.fingerprint, body, etag, lastModified, lastModifiedHttp: lastModified.toUTCString() };
    }
    this.entries.delete(key);
    this.entries.set(key, { rendered, generation, checkedAt: Date.now() });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return { rendered };
  }
}
