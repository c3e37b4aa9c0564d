// Merged topic feeds: one entry per story, whatever number of outlets reported it. Rendered with
// the `feed` package, with its defects worked around:
// - Atom categories are always given a term (feed@6 writes <category> without one, which RFC 4287
//   forbids), and terms never contain '<' (feed@6 does not escape it in attributes);
// - no RSS <author> is written (RSS requires an e-mail address there, which stories do not have);
// - Atom entry titles are escaped: feed@6 marks them type="html", and a story label is plain text
//   ("Q&A: <what> next" must not lose a tag-like word);
// - the feed has an author (RFC 4287 requires one on the feed or on every entry).
// Atom entries get a link rel="related" per article, which `feed` has no option for; it is added
// to the output.
import { Feed, type Item } from 'feed';
import type { ClusterJson, ItemJson } from '../stories/stories.js';
import { escapeHtml } from '../parse/text.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export interface FeedHead {
  /** Absolute URL of this feed without extension (…/feeds/nato). */
  selfBase: string;
  title: string;
  description: string | null;
  /** The HTML page the feed stands for. */
  link: string;
  publicUrl: string;
  hub: string | null;
}

/** A story id as a tag URI (RFC 4151): stable whatever the story's label or PUBLIC_URL path. */
export function storyEntryId(publicUrl: string, storyId: string): string {
  return `tag:${new URL(publicUrl).hostname},2024:story:${storyId}`;
}

/** When the story last gained an article: entries change their `updated` only then. */
export function storyUpdated(story: ClusterJson): Date {
  const times = story.items.map((i) => Date.parse(i.fetchedAt)).filter((t) => !Number.isNaN(t));
  return new Date(times.length > 0 ? Math.max(...times) : Date.parse(story.updatedAt));
}

const outlet = (item: ItemJson) => item.source.title ?? new URL(item.source.url).hostname;

/** The entry body: a short summary, then every outlet's article; copies folded into their original. */
export function storyContent(story: ClusterJson): string {
  const originals = story.items.filter((i) => i.duplicateOf === null);
  const copiesOf = new Map<string, ItemJson[]>();
  for (const item of story.items) {
    if (item.duplicateOf !== null) copiesOf.set(item.duplicateOf, [...(copiesOf.get(item.duplicateOf) ?? []), item]);
  }
  const lead = originals.find((i) => i.summary)?.summary ?? null;
  // Summaries are sanitized HTML already; the lead is cut to plain text of a readable length.
  const leadText = lead ? lead.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() : '';
  const short = leadText.length > 400 ? `${leadText.slice(0, 397).replace(/\s+\S*$/, '')}…` : leadText;
  const rows = originals.map((item) => {
    const title = escapeHtml(item.title ?? '(untitled)');
    const link = item.url ? `<a href="${escapeHtml(item.url)}">${title}</a>` : title;
    const when = item.publishedAt ? ` <time datetime="${item.publishedAt}">${item.publishedAt.slice(0, 16).replace('T', ' ')} UTC</time>` : '';
    const copies = copiesOf.get(item.id) ?? [];
    const also = copies.length > 0 ? ` — also reported by ${copies.map((c) => (c.url ? `<a href="${escapeHtml(c.url)}">${escapeHtml(outlet(c))}</a>` : escapeHtml(outlet(c)))).join(', ')}` : '';
    return `<li>${link} (${escapeHtml(outlet(item))})${when}${also}</li>`;
  });
  return `${short ? `<p>${escapeHtml(short)}</p>` : ''}<ul>${rows.join('')}</ul>`;
}

export function renderStoryFeed(format: FeedFormat, head: FeedHead, stories: ClusterJson[]): string {
  const updated = stories.length > 0 ? new Date(Math.max(...stories.map((s) => storyUpdated(s).getTime()))) : new Date(0);
  const feed = new Feed({
    id: `${head.selfBase}.atom`,
    title: head.title,
    ...(head.description ? { description: head.description } : {}),
    link: head.link,
    updated,
    generator: 'feedloom',
    feedLinks: { rss: `${head.selfBase}.rss`, atom: `${head.selfBase}.atom`, json: `${head.selfBase}.json` },
    ...(head.hub ? { hub: head.hub } : {}),
    copyright: 'Each article belongs to its publisher.',
    author: { name: 'feedloom', link: `${head.publicUrl.replace(/\/?$/, '/')}` },
  });
  for (const story of stories) {
    const label = story.label ?? '(untitled story)';
    const item: Item = {
      id: storyEntryId(head.publicUrl, story.id),
      guid: storyEntryId(head.publicUrl, story.id),
      title: format === 'atom' ? escapeHtml(label) : label,
      link: new URL(`clusters/${story.id}`, `${head.publicUrl.replace(/\/?$/, '/')}`).href,
      date: storyUpdated(story),
      ...(story.firstPublishedAt ? { published: new Date(story.firstPublishedAt) } : {}),
      description: `${story.itemCount} article${story.itemCount === 1 ? '' : 's'} from ${story.sourceCount} source${story.sourceCount === 1 ? '' : 's'}`,
      content: storyContent(story),
      category: story.terms
        .slice(0, 5)
        .map((term) => term.replace(/[<>]/g, '').trim())
        .filter((term) => term !== '')
        .map((term) => ({ name: term, term })),
    };
    feed.addItem(item);
  }
  if (format === 'rss') return feed.rss2();
  if (format === 'json') return asJsonFeed11(feed.json1(), head.hub);
  return withRelatedLinks(feed.atom1(), stories, head.publicUrl);
}

/**
 * feed@6 writes JSON Feed 1.0; 1.1 differs in the version and in `authors` replacing `author`.
 * feed@6 also leaves out the WebSub hub, which JSON Feed lists in `hubs`.
 */
function asJsonFeed11(json: string, hub: string | null): string {
  const doc = JSON.parse(json) as Record<string, unknown> & { items?: Array<Record<string, unknown>> };
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

/** Adds <link rel="related"> for each article to each Atom entry (after the entry's <id>). */
function withRelatedLinks(atom: string, stories: ClusterJson[], publicUrl: string): string {
  const byId = new Map(stories.map((s) => [storyEntryId(publicUrl, s.id), s]));
  return atom.replace(/<id>([^<]*)<\/id>/g, (whole, id: string) => {
    const story = byId.get(id.replace(/&amp;/g, '&'));
    if (!story) return whole;
    const links = story.items
      .filter((i) => i.url)
      .map((i) => `\n            <link rel="related" href="${escapeHtml(i.url!)}" title="${escapeHtml(`${outlet(i)}: ${i.title ?? ''}`)}"/>`)
      .join('');
    return `${whole}${links}`;
  });
}
