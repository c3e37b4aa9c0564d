// RSS 2.0. feed@6 writes it as the W3C Feed Validator wants it once entries carry no author (see
// story-feed.ts), with the self link and the hub as atom:link.
import { selfUrl, storyFeed, type FeedFormat } from '../story-feed.js';

const extension = 'rss';

export const rss = {
  extension,
  contentType: 'application/rss+xml; charset=utf-8',
  render(head, stories) {
    return storyFeed(head, stories, { feedLinks: { rss: selfUrl(head, extension) } }).rss2();
  },
} as const satisfies FeedFormat;
