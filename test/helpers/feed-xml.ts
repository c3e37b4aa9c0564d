// RSS 2.0 documents for the tests and the benchmarks: one builder, so that every fixture feed is
// well-formed the same way. Text is escaped here; `html` goes in a CDATA section as it is.

export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface RssItem {
  title?: string | null;
  link?: string | null;
  guid?: string | null;
  /** Writes isPermaLink="false" on the guid. */
  guidIsPermaLink?: false;
  /** A Date is written as RFC 822 (toUTCString); a string as it is. */
  published?: Date | string | null;
  /** dc:creator */
  author?: string | null;
  categories?: string[];
  /** The description as text (escaped), … */
  description?: string | null;
  /** … or as HTML in a CDATA section. */
  html?: string | null;
}

export interface RssChannel {
  title: string;
  link: string;
  description?: string;
  language?: string;
  items: RssItem[];
}

const element = (name: string, text: string | null | undefined) => (text == null ? '' : `<${name}>${escapeXml(text)}</${name}>`);

function rssItem(item: RssItem): string {
  const published = item.published instanceof Date ? item.published.toUTCString() : item.published;
  const guid = item.guid == null ? '' : `<guid${item.guidIsPermaLink === false ? ' isPermaLink="false"' : ''}>${escapeXml(item.guid)}</guid>`;
  return (
    '<item>' +
    element('title', item.title) +
    element('link', item.link) +
    guid +
    element('pubDate', published) +
    element('dc:creator', item.author) +
    (item.categories ?? []).map((c) => element('category', c)).join('') +
    element('description', item.description) +
    (item.html == null ? '' : `<description><![CDATA[${item.html}]]></description>`) +
    '</item>'
  );
}

/** An RSS 2.0 document, one item a line. */
export function rssFeed(channel: RssChannel): string {
  const dc = channel.items.some((i) => i.author != null) ? ' xmlns:dc="http://purl.org/dc/elements/1.1/"' : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"${dc}><channel>` +
    element('title', channel.title) +
    element('link', channel.link) +
    element('description', channel.description) +
    element('language', channel.language) +
    '\n' +
    channel.items.map((item) => `${rssItem(item)}\n`).join('') +
    '</channel></rss>'
  );
}
