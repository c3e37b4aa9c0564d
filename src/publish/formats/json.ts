// JSON Feed 1.1. feed@6 writes 1.0, which differs in the version and in `authors` replacing
// `author`; it also leaves out the WebSub hub, which JSON Feed lists in `hubs`.
import { selfUrl, storyFeed, type FeedFormat } from '../story-feed.js';

const extension = 'json';

export const json = {
  extension,
  contentType: 'application/feed+json; charset=utf-8',
  render(head, stories) {
    return asJsonFeed11(storyFeed(head, stories, { feedLinks: { json: selfUrl(head, extension) } }).json1(), head.hub);
  },
} as const satisfies FeedFormat;

function asJsonFeed11(text: string, hub: string | null): string {
  const doc = JSON.parse(text) as Record<string, unknown> & { items?: Array<Record<string, unknown>> };
  doc.version = 'https://jsonfeed.org/version/1.1';
  if (hub) doc.hubs = [{ type: 'WebSub', url: hub }];
  const lift = (o: Record<string, unknown>) => {
    if (o.author) {
      o.authors = [o.author];
      delete o.author;
    }
  };
  lift(doc);
  for (const item of doc.items ?? []) lift(item);
  return JSON.stringify(doc, null, 2);
}
