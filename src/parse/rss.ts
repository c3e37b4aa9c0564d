// RSS 0.9x, 2.0 and 1.0 (RDF) — and Microsoft's CDF, which has the same shape — onto the
// normalized model. The RSS family shares element names but not structure: RSS 1.0 puts items
// beside the channel and identifies them by rdf:about, RSS 2.0 has guid with isPermaLink, CDF puts
// links and dates in attributes. Common extensions (Dublin Core, content:encoded, Atom links,
// Media RSS, iTunes) fill what the core elements lack.
import type { Element } from 'domhandler';
import {
  absoluteUrl,
  firstEmail,
  formatPeople,
  parsePersonString,
  readDate,
  readEnclosure,
  uniqueEnclosures,
  uniqueStrings,
  type Person,
} from './fields.js';
import type { FeedFormat } from './model.js';
import { atomLinks, atomPeople, firstDate, type RawFeed, type RawItem } from './raw.js';
import { readAtomText, readRssText, type TextValue } from './text.js';
import { NS, textOf, type FeedDom } from './xml/dom.js';

interface Context {
  dom: FeedDom;
  /** RSS elements: no namespace, RSS 1.0's, 0.90's, or whatever the root declares as default. */
  rss: readonly string[];
  warnings: string[];
}

const DC = [NS.dc, NS.dcterms] as const;

function rssFormat(dom: FeedDom, root: Element): FeedFormat {
  const name = dom.local(root).toLowerCase();
  if (name === 'rdf') return dom.children(root, NS.rss090, 'channel').length > 0 ? 'rss0.9x' : 'rss1.0';
  const version = (dom.attr(root, 'version') ?? '').trim();
  return version.startsWith('0.9') ? 'rss0.9x' : 'rss2.0';
}

function text(dom: FeedDom, el: Element, ns: string | readonly string[], name: string): string | null {
  const found = dom.child(el, ns, name);
  const value = found ? textOf(found).trim() : '';
  return value === '' ? null : value;
}

/** The first element among candidates, as RSS text of the given kind. */
function firstText(ctx: Context, el: Element, kind: 'html' | 'auto', candidates: Array<[string | readonly string[], string]>): TextValue | null {
  for (const [ns, name] of candidates) {
    const found = ctx.dom.child(el, ns, name);
    if (found) return readRssText(ctx.dom, found, kind);
  }
  return null;
}

function people(ctx: Context, el: Element): Person[] {
  const { dom, rss } = ctx;
  const fromStrings = [
    ...dom.children(el, rss, 'author'),
    ...dom.children(el, DC, 'creator'),
    ...dom.children(el, DC, 'author'),
    ...dom.children(el, NS.itunes, 'author'),
  ].map((e) => parsePersonString(textOf(e)));
  return [...fromStrings, ...atomPeople(dom, el, 'author')].filter((p): p is Person => p !== null);
}

function categories(ctx: Context, el: Element): string[] {
  const { dom, rss } = ctx;
  // iTunes categories nest (<itunes:category text="Technology"><itunes:category text="Gadgets"/>).
  const itunes = (parent: Element): string[] =>
    dom.children(parent, NS.itunes, 'category').flatMap((c) => [dom.attr(c, 'text') ?? '', ...itunes(c)]);
  return uniqueStrings([
    ...dom.children(el, rss, 'category').map(textOf),
    ...dom.children(el, NS.dc, 'subject').map(textOf),
    ...dom.children(el, NS.atom, 'category').map((c) => dom.attr(c, 'term') ?? dom.attr(c, 'label')),
    ...dom.children(el, NS.media, 'category').map(textOf),
    ...itunes(el),
    // A non-standard <tags> element holds a comma-separated list.
    ...dom.children(el, rss, 'tags').flatMap((t) => textOf(t).split(',')),
  ]);
}

/**
 * RSS has no separate summary; <description> is it. A feed that has both <summary> and
 * <description> gets the first as summary and the other as content (feedparser's reading).
 */
function summaryAndContent(ctx: Context, el: Element): { summary: TextValue | null; extra: TextValue | null } {
  const { dom, rss } = ctx;
  const description = dom.child(el, rss, 'description') ?? dom.child(el, DC, 'description') ?? dom.child(el, rss, 'abstract');
  const summary = dom.child(el, rss, 'summary');
  if (description && summary) {
    const [first, second] = el.children.indexOf(summary) < el.children.indexOf(description) ? [summary, description] : [description, summary];
    return { summary: readRssText(dom, first, 'html'), extra: readRssText(dom, second, 'html') };
  }
  const fallback = firstText(ctx, el, 'html', [
    [NS.itunes, 'summary'],
    [NS.itunes, 'subtitle'],
    [NS.media, 'description'],
  ]);
  const mediaGroup = dom.child(el, NS.media, 'group');
  const grouped = mediaGroup ? firstText(ctx, mediaGroup, 'html', [[NS.media, 'description']]) : null;
  const main = description ?? summary;
  return { summary: main ? readRssText(dom, main, 'html') : (fallback ?? grouped), extra: null };
}

function readContent(ctx: Context, el: Element): TextValue | null {
  const { dom, rss } = ctx;
  const found =
    dom.child(el, NS.content, 'encoded') ?? dom.child(el, NS.xhtml, 'body') ?? dom.child(el, rss, 'body') ?? dom.child(el, rss, 'fullitem');
  if (found) return readRssText(dom, found, 'html');
  const atom = dom.child(el, NS.atom, 'content');
  return atom ? readAtomText(dom, atom) : null;
}

/** CDF keeps the link and the modification date in attributes. */
function cdfDate(ctx: Context, el: Element, what: string): string | null {
  return readDate(ctx.dom.attr(el, 'lastmod'), `${what} LASTMOD`, ctx.warnings);
}

function readItem(ctx: Context, el: Element): RawItem {
  const { dom, rss, warnings } = ctx;
  const base = dom.base(el);
  const guidEl = dom.child(el, rss, 'guid');
  const guid = guidEl ? textOf(guidEl).trim() || null : dom.attr(el, 'about', NS.rdf)?.trim() || null;
  const links = atomLinks(dom, el);
  const linkEl = dom.child(el, rss, 'link');
  // Feedburner rewrites links to its own redirector and keeps the publisher's in feedburner:origLink.
  const origLink = absoluteUrl(text(dom, el, NS.feedburner, 'origLink'), base);
  let link = origLink ?? absoluteUrl(linkEl ? textOf(linkEl) : dom.attr(el, 'href'), linkEl ? dom.base(linkEl) : base) ?? links.alternate;
  // A guid is a permalink unless it says otherwise (RSS 2.0 spec), so it stands in for a missing link.
  const permalink = guidEl ? (dom.attr(guidEl, 'isPermaLink') ?? 'true').trim().toLowerCase() !== 'false' : false;
  if (!link && guid && permalink && /^https?:\/\//i.test(guid)) link = absoluteUrl(guid, base);
  const { summary, extra } = summaryAndContent(ctx, el);
  const authors = people(ctx, el);
  const enclosures = [
    ...dom.children(el, rss, 'enclosure').map((e) => readEnclosure(dom.attr(e, 'url'), dom.attr(e, 'type'), dom.attr(e, 'length'), dom.base(e))),
    ...links.enclosures,
    ...dom.children(el, NS.media, 'content').map((e) => readEnclosure(dom.attr(e, 'url'), dom.attr(e, 'type'), dom.attr(e, 'fileSize'), dom.base(e))),
  ];
  return {
    id: guid ? (/^\//.test(guid) ? absoluteUrl(guid, base) : guid) : null,
    link,
    title: firstText(ctx, el, 'auto', [[rss, 'title'], [DC, 'title'], [NS.media, 'title']]),
    // As in feedparser, dc:date is the item's "updated"; storage falls back to it for ordering.
    published: firstDate(dom, el, [[rss, 'pubDate'], [NS.dcterms, 'issued'], [NS.atom, 'published']], 'item', warnings),
    updated:
      firstDate(dom, el, [[NS.dc, 'date'], [NS.dcterms, 'modified'], [NS.atom, 'updated']], 'item', warnings) ?? cdfDate(ctx, el, 'item'),
    created: firstDate(dom, el, [[NS.dcterms, 'created']], 'item', warnings),
    author: formatPeople(authors),
    authorEmail: firstEmail(authors),
    summary,
    content: readContent(ctx, el) ?? extra,
    enclosures: uniqueEnclosures(enclosures),
    categories: categories(ctx, el),
    comments: absoluteUrl(text(dom, el, rss, 'comments'), base),
  };
}

export function readRss(dom: FeedDom, root: Element, documentUrl: string | null): RawFeed {
  const ctx: Context = { dom, rss: ['', NS.rss1, NS.rss090, dom.ns(root)], warnings: [] };
  const { rss, warnings } = ctx;
  const channel = dom.child(root, rss, 'channel') ?? (dom.local(root).toLowerCase() === 'channel' ? root : null);
  const head = channel ?? root;
  // RSS 2.0 nests items in the channel, RSS 1.0 puts them beside it; broken feeds do either.
  const itemEls = [...(channel && channel !== root ? dom.children(channel, rss, 'item') : []), ...dom.children(root, rss, 'item')];
  const links = atomLinks(dom, head);
  const linkEl = dom.child(head, rss, 'link');
  const language = text(dom, head, rss, 'language') ?? text(dom, head, NS.dc, 'language') ?? dom.attr(root, 'lang', NS.xml);
  const ttl = Number(text(dom, head, rss, 'ttl'));
  // The channel's author, inherited by items without one; the managing editor only as a last resort.
  const authors = [
    ...dom.children(head, rss, 'author'),
    ...dom.children(head, DC, 'creator'),
    ...dom.children(head, DC, 'author'),
    ...dom.children(head, NS.itunes, 'author'),
  ].map((e) => parsePersonString(textOf(e)));
  if (authors.length === 0) authors.push(...dom.children(head, rss, 'managingEditor').map((e) => parsePersonString(textOf(e))));
  const imageEl = dom.child(head, rss, 'image');
  const itunesImage =
    dom.child(head, NS.itunes, 'image') ?? dom.children(head, NS.itunes, 'link').find((l) => dom.attr(l, 'rel') === 'image') ?? null;
  const imageUrl = imageEl
    ? (text(dom, imageEl, rss, 'url') ?? dom.attr(imageEl, 'resource', NS.rdf))
    : itunesImage
      ? dom.attr(itunesImage, 'href')
      : null;
  return {
    format: rssFormat(dom, root),
    title: firstText(ctx, head, 'auto', [[rss, 'title'], [DC, 'title']]),
    link: absoluteUrl(linkEl ? textOf(linkEl) : dom.attr(head, 'href'), dom.base(linkEl ?? head)) ?? links.alternate ?? documentUrl,
    feedUrl: links.self ?? documentUrl,
    description: firstText(ctx, head, 'html', [
      [rss, 'description'],
      [DC, 'description'],
      [rss, 'abstract'],
      [NS.itunes, 'subtitle'],
      [NS.itunes, 'summary'],
    ]),
    language,
    updated:
      firstDate(dom, head, [[rss, 'lastBuildDate'], [NS.dc, 'date'], [NS.dcterms, 'modified'], [NS.atom, 'updated']], 'channel', warnings) ??
      cdfDate(ctx, head, 'channel'),
    published: firstDate(dom, head, [[rss, 'pubDate'], [NS.dcterms, 'issued']], 'channel', warnings),
    hub: links.hub,
    author: formatPeople(authors),
    authorEmail: firstEmail(authors),
    rights: firstText(ctx, head, 'html', [[rss, 'copyright'], [DC, 'rights']]),
    id: null,
    generator: text(dom, head, rss, 'generator'),
    image: absoluteUrl(imageUrl, dom.base(imageEl ?? head)),
    categories: uniqueStrings([...categories(ctx, head), ...dom.children(head, NS.itunes, 'keywords').flatMap((k) => textOf(k).split(','))]),
    ttlMinutes: Number.isInteger(ttl) && ttl > 0 ? ttl : null,
    items: itemEls.map((el) => readItem(ctx, el)),
    warnings,
  };
}
