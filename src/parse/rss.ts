// RSS 0.9x, 2.0 and 1.0 (RDF) onto the normalized model. The three share element names but not
// structure: RSS 1.0 puts items beside the channel and identifies them by rdf:about, RSS 2.0 has
// guid with isPermaLink. Common extensions (Dublin Core, content:encoded, Atom links, Media RSS,
// iTunes) fill what the core elements lack.
import type { Element } from 'domhandler';
import { NS, type FeedDom } from './xml/dom.js';
import {
  absoluteUrl,
  formatPeople,
  parsePersonString,
  readEnclosure,
  uniqueEnclosures,
  uniqueStrings,
  type Person,
} from './fields.js';
import type { FeedFormat } from './model.js';
import { readAtomText, readRssText } from './text.js';
import { textOf } from './xml/dom.js';
import { atomLinks, atomPeople, firstDate, type RawFeed, type RawItem } from './raw.js';

const RSS = ['', NS.rss1, NS.rss090] as const;
const DC = [NS.dc, NS.dcterms] as const;

function rssFormat(dom: FeedDom, root: Element): FeedFormat {
  if (dom.local(root) !== 'rss') {
    // rdf:RDF: RSS 0.90 uses Netscape's namespace, RSS 1.0 the purl one.
    return dom.children(root, NS.rss090, 'channel').length > 0 ? 'rss0.9x' : 'rss1.0';
  }
  const version = (dom.attr(root, 'version') ?? '').trim();
  return version.startsWith('0.9') ? 'rss0.9x' : 'rss2.0';
}

function text(dom: FeedDom, el: Element, ns: string | readonly string[], name: string): string | null {
  const found = dom.child(el, ns, name);
  if (!found) return null;
  const value = textOf(found).trim();
  return value === '' ? null : value;
}

function people(dom: FeedDom, el: Element): Person[] {
  const fromStrings = [
    ...dom.children(el, RSS, 'author'),
    ...dom.children(el, DC, 'creator'),
    ...dom.children(el, NS.itunes, 'author'),
  ].map((e) => parsePersonString(textOf(e)));
  return [...fromStrings, ...atomPeople(dom, el, 'author')].filter((p): p is Person => p !== null);
}

function readItem(dom: FeedDom, el: Element, warnings: string[]): RawItem {
  const base = dom.base(el);
  const titleEl = dom.child(el, RSS, 'title') ?? dom.child(el, DC, 'title');
  const title = titleEl ? readRssText(dom, titleEl, 'auto') : null;

  const guidEl = dom.child(el, RSS, 'guid');
  const guid = guidEl ? textOf(guidEl).trim() || null : (dom.attr(el, 'about', NS.rdf)?.trim() || null);
  const links = atomLinks(dom, el);
  let link = absoluteUrl(text(dom, el, RSS, 'link'), dom.base(dom.child(el, RSS, 'link') ?? el)) ?? links.alternate;
  // A guid is a permalink unless it says otherwise (RSS 2.0 spec), so it stands in for a missing link.
  const permalink = guidEl ? (dom.attr(guidEl, 'isPermaLink') ?? 'true').trim().toLowerCase() !== 'false' : false;
  if (!link && guid && permalink && /^https?:\/\//i.test(guid)) link = absoluteUrl(guid, base);

  const descriptionEl = dom.child(el, RSS, 'description') ?? dom.child(el, DC, 'description');
  const contentEl =
    dom.child(el, NS.content, 'encoded') ?? dom.child(el, NS.xhtml, 'body') ?? dom.child(el, RSS, 'fullitem') ?? dom.child(el, NS.atom, 'content');
  const content = contentEl
    ? dom.ns(contentEl) === NS.atom
      ? readAtomText(dom, contentEl)
      : readRssText(dom, contentEl, 'html')
    : null;

  const enclosures = [
    ...dom.children(el, RSS, 'enclosure').map((e) =>
      readEnclosure(dom.attr(e, 'url'), dom.attr(e, 'type'), dom.attr(e, 'length'), dom.base(e)),
    ),
    ...links.enclosures,
    ...dom.children(el, NS.media, 'content').map((e) =>
      readEnclosure(dom.attr(e, 'url'), dom.attr(e, 'type'), dom.attr(e, 'fileSize'), dom.base(e)),
    ),
  ];

  return {
    id: guid ? (/^\//.test(guid) ? absoluteUrl(guid, base) : guid) : null,
    link,
    title,
    published: firstDate(
      dom,
      el,
      [[RSS, 'pubDate'], [NS.dc, 'date'], [NS.dcterms, 'issued'], [NS.dcterms, 'created'], [NS.atom, 'published']],
      'item',
      warnings,
    ),
    updated: firstDate(dom, el, [[NS.dcterms, 'modified'], [NS.atom, 'updated']], 'item', warnings),
    author: formatPeople(people(dom, el)),
    summary: descriptionEl ? readRssText(dom, descriptionEl, 'html') : null,
    content,
    enclosures: uniqueEnclosures(enclosures),
    categories: uniqueStrings([
      ...dom.children(el, RSS, 'category').map(textOf),
      ...dom.children(el, NS.dc, 'subject').map(textOf),
      ...dom.children(el, NS.atom, 'category').map((c) => dom.attr(c, 'term') ?? dom.attr(c, 'label')),
    ]),
    comments: absoluteUrl(text(dom, el, RSS, 'comments'), base),
  };
}

export function readRss(dom: FeedDom, root: Element, documentUrl: string | null): RawFeed {
  const warnings: string[] = [];
  const channel = dom.child(root, RSS, 'channel') ?? (dom.local(root) === 'channel' ? root : null);
  const head = channel ?? root;
  // RSS 2.0 nests items in the channel, RSS 1.0 puts them beside it; broken feeds do either.
  const itemEls = [...(channel && channel !== root ? dom.children(channel, RSS, 'item') : []), ...dom.children(root, RSS, 'item')];
  const links = atomLinks(dom, head);
  const titleEl = dom.child(head, RSS, 'title') ?? dom.child(head, DC, 'title');
  const descriptionEl =
    dom.child(head, RSS, 'description') ?? dom.child(head, DC, 'description') ?? dom.child(head, NS.itunes, 'summary');
  const rightsEl = dom.child(head, RSS, 'copyright') ?? dom.child(head, DC, 'rights');
  const language =
    text(dom, head, RSS, 'language') ?? text(dom, head, NS.dc, 'language') ?? dom.attr(root, 'lang', NS.xml) ?? null;
  const ttl = Number(text(dom, head, RSS, 'ttl'));
  const channelPeople = [...dom.children(head, NS.dc, 'creator'), ...dom.children(head, NS.itunes, 'author')].map((e) =>
    parsePersonString(textOf(e)),
  );
  return {
    format: rssFormat(dom, root),
    title: titleEl ? readRssText(dom, titleEl, 'auto') : null,
    link: absoluteUrl(text(dom, head, RSS, 'link'), dom.base(dom.child(head, RSS, 'link') ?? head)) ?? links.alternate ?? documentUrl,
    feedUrl: links.self ?? documentUrl,
    description: descriptionEl ? readRssText(dom, descriptionEl, 'html') : null,
    language: language?.trim() || null,
    updated: firstDate(
      dom,
      head,
      [[RSS, 'lastBuildDate'], [NS.dc, 'date'], [NS.atom, 'updated'], [RSS, 'pubDate']],
      'channel',
      warnings,
    ),
    hub: links.hub,
    author: formatPeople(channelPeople),
    rights: rightsEl ? readRssText(dom, rightsEl, 'html') : null,
    id: null,
    ttlMinutes: Number.isInteger(ttl) && ttl > 0 ? ttl : null,
    items: itemEls.map((el) => readItem(dom, el, warnings)),
    warnings,
  };
}

