// Atom 1.0 (RFC 4287), with feed@6's defects worked around:
// - categories get a term (feed@6 writes <category> without one, which RFC 4287 forbids);
// - entry titles are escaped: feed@6 marks them type="html", and a story label is plain text
//   ("Q&A: <what> next" must not lose a tag-like word);
// - entries get a link rel="related" per article, which `feed` has no option for.
import type { ClusterJson } from '../../stories/stories.js';
import { escapeHtml } from '../../parse/text.js';
import { outlet, selfUrl, storyEntryId, storyFeed, type FeedFormat } from '../story-feed.js';

const extension = 'atom';

export const atom = {
  extension,
  contentType: 'application/atom+xml; charset=utf-8',
  render(head, stories) {
    const self = selfUrl(head, extension);
    const feed = storyFeed(head, stories, { id: self, feedLinks: { atom: self } }, (item) => ({
      ...item,
      title: escapeHtml(item.title),
      category: item.category?.map((category) => ({ ...category, term: category.name })),
    }));
    return withRelatedLinks(feed.atom1(), stories, head.publicUrl);
  },
} as const satisfies FeedFormat;

/** Adds <link rel="related"> for each article to each Atom entry (after the entry's <id>). */
function withRelatedLinks(xml: string, stories: ClusterJson[], publicUrl: string): string {
  const byId = new Map(stories.map((s) => [storyEntryId(publicUrl, s.id), s]));
  return xml.replace(/<id>([^<]*)<\/id>/g, (whole, id: string) => {
    const story = byId.get(id.replace(/&amp;/g, '&'));
    if (!story) return whole;
    const links = story.items
      .filter((i) => i.url)
      .map((i) => `\n            <link rel="related" href="${escapeHtml(i.url!)}" title="${escapeHtml(`${outlet(i)}: ${i.title ?? ''}`)}"/>`)
      .join('');
    return `${whole}${links}`;
  });
}
