// Atom 1.0 (RFC 4287) and its predecessor Atom 0.3 onto the normalized model. 0.3 differs in
// names (tagline, copyright, issued/modified/created) and in content modes (escaped, base64).
import type { Element } from 'domhandler';
import { absoluteUrl, formatPeople, uniqueEnclosures, uniqueStrings } from './fields.js';
import { atomLinks, atomPeople, firstDate, type RawFeed, type RawItem } from './raw.js';
import { readAtomText } from './text.js';
import { NS, textOf, type FeedDom } from './xml/dom.js';

const ATOM = [NS.atom, NS.atom03] as const;

function textConstruct(dom: FeedDom, el: Element, ...names: string[]) {
  for (const name of names) {
    const found = dom.child(el, ATOM, name);
    if (found) return readAtomText(dom, found);
  }
  return null;
}

/** An id as published; relative ids resolve like any IRI reference in Atom (xml:base applies). */
function readId(dom: FeedDom, el: Element): string | null {
  const idEl = dom.child(el, ATOM, 'id');
  const raw = idEl ? textOf(idEl).trim() : '';
  if (!raw) return null;
  return /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : absoluteUrl(raw, dom.base(idEl!));
}

function readEntry(dom: FeedDom, el: Element, warnings: string[]): RawItem {
  const links = atomLinks(dom, el);
  const contentEl = dom.child(el, ATOM, 'content');
  const contentSrc = contentEl ? absoluteUrl(dom.attr(contentEl, 'src'), dom.base(contentEl)) : null;
  return {
    id: readId(dom, el),
    link: links.alternate ?? contentSrc,
    title: textConstruct(dom, el, 'title'),
    published: firstDate(dom, el, [[ATOM, 'published'], [ATOM, 'issued'], [ATOM, 'created'], [NS.dcterms, 'issued'], [NS.dc, 'date']], 'entry', warnings),
    updated: firstDate(dom, el, [[ATOM, 'updated'], [ATOM, 'modified'], [NS.dcterms, 'modified']], 'entry', warnings),
    author: formatPeople([...atomPeople(dom, el, 'author'), ...(dom.children(el, NS.dc, 'creator').map((c) => ({ name: textOf(c).trim() || null, email: null })))]),
    summary: textConstruct(dom, el, 'summary'),
    content: contentEl ? readAtomText(dom, contentEl) : null,
    enclosures: uniqueEnclosures(links.enclosures),
    categories: uniqueStrings([
      ...dom.children(el, ATOM, 'category').map((c) => dom.attr(c, 'term') ?? dom.attr(c, 'label') ?? textOf(c)),
      ...dom.children(el, NS.dc, 'subject').map(textOf),
    ]),
    comments: null,
  };
}

export function readAtom(dom: FeedDom, root: Element, documentUrl: string | null): RawFeed {
  const warnings: string[] = [];
  const atom03 = dom.ns(root) === NS.atom03 || (dom.attr(root, 'version') ?? '').trim() === '0.3';
  const links = atomLinks(dom, root);
  const language = dom.attr(root, 'lang', NS.xml)?.trim() || null;
  return {
    format: atom03 ? 'atom0.3' : 'atom1.0',
    title: textConstruct(dom, root, 'title'),
    link: links.alternate ?? documentUrl,
    feedUrl: links.self ?? documentUrl,
    description: textConstruct(dom, root, 'subtitle', 'tagline'),
    language,
    updated: firstDate(dom, root, [[ATOM, 'updated'], [ATOM, 'modified']], 'feed', warnings),
    hub: links.hub,
    author: formatPeople(atomPeople(dom, root, 'author')),
    rights: textConstruct(dom, root, 'rights', 'copyright'),
    id: readId(dom, root),
    ttlMinutes: null,
    items: dom.children(root, ATOM, 'entry').map((el) => readEntry(dom, el, warnings)),
    warnings,
  };
}
