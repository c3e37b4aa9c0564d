// WebSub (W3C Recommendation, 2018) for the topic feeds. Each feed names the hub (rel="hub") and
// itself (rel="self"); when a feed's content changes we send the hub a publish ping
// (POST hub.mode=publish&hub.url=FEED, the convention hubs such as websub.rocks and Superfeedr
// accept), and the hub fetches the feed and pushes it to its subscribers.
//
// "Changed" is decided by the same fingerprint the feed cache keeps: after stories change (an
// announcement), every topic feed is re-checked once the burst of changes has settled, and a
// feed is pinged only if what it shows moved since the last successful ping. A failed ping is
// retried at the next check.
import type { Logger } from 'pino';
import { FEED_FORMATS } from './formats/index.js';
import type { StoryChanges } from './story-changes.js';
import type { TopicFeeds } from './topic-feeds.js';

export interface WebSubOptions {
  hub: string;
  feeds: TopicFeeds;
  /** Slugs of every topic feed ('all' included). */
  topicSlugs(): Promise<string[]>;
  changes: StoryChanges;
  logger: Logger;
  userAgent: string;
  /** After an announcement, wait this long for the rest of a poll run's changes. */
  settleMs?: number;
  timeoutMs?: number;
}

export class WebSubPublisher {
  /** Fingerprint of each topic feed as the hub last heard of it. */
  private readonly published = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<string[]> | null = null;
  /** A check was asked for while one ran: run again when it ends. */
  private again = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: WebSubOptions) {}

  /** Notes what every feed shows now (restarting does not change feeds), then follows changes. */
  async start(): Promise<void> {
    for (const slug of await this.options.topicSlugs()) {
      this.published.set(slug, await this.options.feeds.fingerprint(slug));
    }
    this.unsubscribe = this.options.changes.subscribe(() => this.schedule());
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.checking?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check().catch((error: unknown) => this.options.logger.warn({ err: error }, 'WebSub check failed'));
    }, this.options.settleMs ?? 5_000);
    this.timer.unref();
  }

  /** Pings the hub for every topic feed whose content changed; returns their slugs. */
  check(): Promise<string[]> {
    // One check at a time; one asked for meanwhile runs when it ends (it may have passed a feed already).
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      const pinged: string[] = [];
      do {
        this.again = false;
        pinged.push(...(await this.checkFeeds()));
      } while (this.again);
      return pinged;
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkFeeds(): Promise<string[]> {
    const pinged: string[] = [];
    for (const slug of await this.options.topicSlugs()) {
      let fingerprint: string;
      try {
        fingerprint = await this.options.feeds.fingerprint(slug);
      } catch (error) {
        // A topic removed since the list was read.
        this.options.logger.debug({ slug, err: error }, 'WebSub: feed not checked');
        continue;
      }
      if (this.published.get(slug) === fingerprint) continue;
      const results = await Promise.all(FEED_FORMATS.map((format) => this.ping(this.options.feeds.url(slug, format.extension))));
      if (results.every(Boolean)) {
        this.published.set(slug, fingerprint);
        pinged.push(slug);
      }
    }
    if (pinged.length > 0) this.options.logger.info({ hub: this.options.hub, feeds: pinged }, 'WebSub hub pinged');
    return pinged;
  }

  private async ping(feedUrl: string): Promise<boolean> {
    const { hub, logger, userAgent } = this.options;
    try {
      const response = await fetch(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
      if (response.ok) return true;
      logger.warn({ hub, feed: feedUrl, status: response.status }, 'WebSub hub refused the ping');
    } catch (error) {
      logger.warn({ hub, feed: feedUrl, err: error }, 'WebSub hub unreachable');
    }
    return false;
  }
}
