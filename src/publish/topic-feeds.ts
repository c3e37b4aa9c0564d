// Published feeds: topic feeds (one entry per matching story, newest activity first), story feeds
// (the articles of one story, as a story feed of one), and the OPML list of the topic feeds.
//
// Rendered bytes are cached per (feed, format) and served without touching the database until a
// change is announced (feed-cache.ts). ETag is a hash of the bytes (strong), Last-Modified the
// latest story change.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { buildOpml } from '../opml/opml.js';
import * as stories from '../stories/stories.js';
import * as topics from '../topics/topics.js';
import { FeedCache, type Loaded, type RenderedFeed } from './feed-cache.js';
import { FEED_FORMATS, feedFormat, type FeedFormat, type FormatName } from './formats/index.js';
import { rss } from './formats/rss.js';
import type { StoryChanges } from './story-changes.js';
import { feedUpdated, type FeedHead } from './story-feed.js';

/** Stories per topic feed. */
const FEED_SIZE = 50;
export const OPML_CONTENT_TYPE = 'text/x-opml; charset=utf-8';

export interface TopicFeedsOptions {
  db: Kysely<Database>;
  publicUrl: string;
  hub?: string | null;
  changes: StoryChanges;
}

export type StoryOutcome = { kind: 'merged'; into: string } | { kind: 'missing' };

/**
 * What a feed shows and how to render it. The fingerprint is a hash of everything rendered (head,
 * stories, their articles and outlets): an edited headline or a renamed outlet changes it too. It
 * does not depend on the format.
 */
function snapshotOf(format: FeedFormat, head: FeedHead, list: stories.ClusterJson[]): Loaded<never> {
  const fingerprint = createHash('sha256').update(JSON.stringify([head, list])).digest('base64url');
  return { snapshot: { fingerprint, render: () => ({ body: format.render(head, list), lastModified: feedUpdated(list) }) } };
}

/** The topic feeds' renderings, shared by the feed routes and the WebSub publisher. */
export class TopicFeeds {
  private readonly cache: FeedCache;
  private readonly publicUrl: string;

  constructor(private readonly options: TopicFeedsOptions) {
    this.cache = new FeedCache(options.changes);
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  /** The absolute URL of a topic feed. */
  url(slug: string, format: FormatName): string {
    return `${this.publicUrl}/feeds/${slug}.${format}`;
  }

  /** The front page the feeds stand for. */
  get home(): string {
    return `${this.publicUrl}/`;
  }

  /** Every topic feed, `all` first. */
  async list(): Promise<Array<{ slug: string; title: string }>> {
    return [{ slug: 'all', title: 'All stories' }, ...(await topics.listTopics(this.options.db))];
  }

  /** The topic feeds as OPML, for subscribing to all of them at once. */
  async opml(): Promise<string> {
    // RSS: the outlines say type="rss", and it is the format every reader that imports OPML takes.
    const feeds = (await this.list()).map((t) => ({ url: this.url(t.slug, rss.extension), title: t.title, siteUrl: this.home }));
    return buildOpml('feedloom topic feeds', feeds, null);
  }

  /** A topic's feed if it can be served without asking the database, else null. */
  cachedTopic(slug: string, format: FormatName): RenderedFeed | null {
    return this.cache.peek(`topic:${slug}:${format}`);
  }

  /** What a topic's feed shows now, whatever the format (WebSub pings when it moves). */
  async fingerprint(slug: string): Promise<string> {
    return (await this.topic(slug, FEED_FORMATS[0].extension)).fingerprint;
  }

  /** A topic's feed (`all` is every story); an unknown topic is a UserError (not_found). */
  async topic(slug: string, format: FormatName): Promise<RenderedFeed> {
    const { db } = this.options;
    const served = await this.cache.get(`topic:${slug}:${format}`, async () => {
      const { topic, query } = await topics.resolveTopic(db, slug);
      const page = await stories.listClusters(db, { topic: query, limit: FEED_SIZE });
      return snapshotOf(feedFormat(format), this.head(`/feeds/${slug}`, {
        title: topic ? topic.title : 'All stories',
        description: topic?.description ?? (topic ? `Stories matching ${topic.query}` : 'Every story, newest activity first'),
        link: this.home,
      }), page.rows);
    });
    if ('instead' in served) throw new Error('a topic feed always renders');
    return served.rendered;
  }

  /** One story's feed of its articles (each article as a story of one), or where a merged story went. */
  async story(id: string, format: FormatName): Promise<{ kind: 'feed'; rendered: RenderedFeed } | StoryOutcome> {
    const { db } = this.options;
    const served = await this.cache.get<StoryOutcome>(`story:${id}:${format}`, async () => {
      const found = await stories.getCluster(db, id);
      if (found.kind === 'merged') return { instead: { kind: 'merged', into: found.into } };
      if (found.kind === 'missing') return { instead: { kind: 'missing' } };
      const story = found.cluster;
      const entries: stories.ClusterJson[] = story.items.map((item) => ({
        ...story,
        id: `${story.id}-${item.id}`,
        label: item.title,
        itemCount: 1,
        sourceCount: 1,
        firstPublishedAt: item.publishedAt,
        lastPublishedAt: item.publishedAt,
        items: [item],
      }));
      return snapshotOf(feedFormat(format), this.head(`/clusters/${id}`, {
        title: story.label ?? `Story ${id}`,
        description: `${story.itemCount} articles from ${story.sourceCount} sources`,
        link: `${this.publicUrl}/clusters/${id}`,
      }), entries);
    });
    return 'instead' in served ? served.instead : { kind: 'feed', rendered: served.rendered };
  }

  private head(path: string, about: Pick<FeedHead, 'title' | 'description' | 'link'>): FeedHead {
    return { selfBase: `${this.publicUrl}${path}`, ...about, publicUrl: this.publicUrl, hub: this.options.hub ?? null };
  }
}
