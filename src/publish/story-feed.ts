// Merged topic feeds: one entry per story, whatever number of outlets reported it. What every
// format shares is built here on the `feed` package; each format (formats/) writes it out and works
// around that format's own defects in feed@6. Shared choices, which keep the formats saying the same:
// - no entry has an author (RSS requires an e-mail address there, which stories do not have);
// - the feed has one (RFC 4287 requires it for Atom, and JSON Feed readers show it too);
// - terms lose any '<' or '>' before they become categories (feed@6 does not escape them in Atom
//   attributes), so a story's tags read alike in every format.
import { Feed, type FeedOptions, type Item } from 'feed';
import type { ClusterJson, ItemJson } from '../stories/stories.js';
import { escapeHtml } from '../parse/text.js';

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

/** A published format: formats/index.ts lists them, and routes, the cache and WebSub read that list. */
export interface FeedFormat {
  /** The file extension that selects it (/feeds/nato.{extension}): lower-case letters and digits. */
  readonly extension: string;
  readonly contentType: string;
  render(head: FeedHead, stories: ClusterJson[]): string;
}

/** This format's own address: the feed's self link. */
export const selfUrl = (head: FeedHead, extension: string): string => `${head.selfBase}.${extension}`;

/** A story id as a tag URI (RFC 4151): stable whatever the story's label or PUBLIC_URL path. */
export function storyEntryId(publicUrl: string, storyId: string): string {
  return `tag:${new URL(publicUrl).hostname},2024:story:${storyId}`;
}

/** When the story last gained an article: entries change their `updated` only then. */
export function storyUpdated(story: ClusterJson): Date {
  const times = story.items.map((i) => Date.parse(i.fetchedAt)).filter((t) => !Number.isNaN(t));
  return new Date(times.length > 0 ? Math.max(...times) : Date.parse(story.updatedAt));
}

/** When any of the stories last gained an article (the epoch for none). */
export function feedUpdated(stories: ClusterJson[]): Date {
  return stories.length > 0 ? new Date(Math.max(...stories.map((s) => storyUpdated(s).getTime()))) : new Date(0);
}

export const outlet = (item: ItemJson) => item.source.title ?? new URL(item.source.url).hostname;

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

/**
 * The stories as a `feed` document for one format to write out. `own` holds the options only that
 * format reads (its self link); `entry` adapts each entry to the format.
 */
export function storyFeed(
  head: FeedHead,
  stories: ClusterJson[],
  own: Pick<FeedOptions, 'id' | 'feedLinks'>,
  entry: (item: Item) => Item = (item) => item,
): Feed {
  const feed = new Feed({
    ...own,
    title: head.title,
    ...(head.description ? { description: head.description } : {}),
    link: head.link,
    updated: feedUpdated(stories),
    generator: 'feedloom',
    ...(head.hub ? { hub: head.hub } : {}),
    copyright: 'Each article belongs to its publisher.',
    author: { name: 'feedloom', link: `${head.publicUrl.replace(/\/?$/, '/')}` },
  });
  for (const story of stories) {
    feed.addItem(
      entry({
        id: storyEntryId(head.publicUrl, story.id),
        guid: storyEntryId(head.publicUrl, story.id),
        title: story.label ?? '(untitled story)',
        link: new URL(`clusters/${story.id}`, `${head.publicUrl.replace(/\/?$/, '/')}`).href,
        date: storyUpdated(story),
        ...(story.firstPublishedAt ? { published: new Date(story.firstPublishedAt) } : {}),
        description: `${story.itemCount} article${story.itemCount === 1 ? '' : 's'} from ${story.sourceCount} source${story.sourceCount === 1 ? '' : 's'}`,
        content: storyContent(story),
        category: story.terms
          .slice(0, 5)
          .map((term) => term.replace(/[<>]/g, '').trim())
          .filter((term) => term !== '')
          .map((name) => ({ name })),
      }),
    );
  }
  return feed;
}
