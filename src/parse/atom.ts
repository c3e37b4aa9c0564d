// Atom 1.0 (RFC 4287) and its predecessor Atom 0.3 onto the normalized model. 0.3 differs in
// names (tagline, copyright, issued/modified/created) and in content modes (escaped, base64).
import type { Element } from 'domhandler';
import { absoluteUrl, firstEmail, formatPeople, uniqueEnclosures, uniqueStrings, type Person } from './fields.js';
import { ATOM_NAMESPACES, atomLinks, atomPeople, firstDate, type RawFeed, type RawItem } from './raw.js';
import { readAtomText } from './text.js';
import { NS, textOf, type FeedDom } from './xml/dom.js';

/** One document's reading context: Atom elements are accepted in 1.0's, 0.3's and the root's
 * own namespace (a <feed> in no or an unknown namespace is still recognizably Atom). */
interface Context {
  dom: FeedDom;
  ns: readonly string[];
  warnings: string[];
}

function textConstruct({ dom, ns }: Context, el: Element, ...names: string[]) {
  for (const name of names) {
    const found = dom.child(el, ns, name);
    if (found) return readAtomText(dom, found);
  }
  return null;
}

/** An id as published; relative ids resolve like any IRI reference in Atom (xml:base applies). */
function readId({ dom, ns }: Context, el: Element): string | null {
  const idEl = dom.child(el, ns, 'id');
  const raw = idEl ? textOf(idEl).trim() : '';
  if (!raw) return null;
  return /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : absoluteUrl(raw, dom.base(idEl!));
}

function people(ctx: Context, el: Element): Person[] {
  const dcCreators = ctx.dom.children(el, NS.dc, 'creator').map((c) => ({ name: textOf(c).trim() || null, email: null }));
  return [...atomPeople(ctx.dom, el, 'author', ctx.ns), ...dcCreators];
}

function categories(ctx: Context, el: Element): string[] {
  return uniqueStrings([
    ...ctx.dom.children(el, ctx.ns, 'category').map((c) => ctx.dom.attr(c, 'term') ?? ctx.dom.attr(c, 'label') ?? textOf(c)),
    ...ctx.dom.children(el, NS.dc, 'subject').map(textOf),
  ]);
}

function readEntry(ctx: Context, el: Element): RawItem {
  const { dom, ns, warnings } = ctx;
  const links = atomLinks(dom, el, ns);
  const contentEl = dom.child(el, ns, 'content');
  const contentSrc = contentEl ? absoluteUrl(dom.attr(contentEl, 'src'), dom.base(contentEl)) : null;
  const authors = people(ctx, el);
  // Feedburner keeps the publisher's address in feedburner:origLink (its own link is a redirector).
  const origLink = dom.child(el, NS.feedburner, 'origLink');
  return {
    id: readId(ctx, el),
    link: (origLink ? absoluteUrl(textOf(origLink), dom.base(origLink)) : null) ?? links.alternate ?? contentSrc,
    title: textConstruct(ctx, el, 'title'),
    published: firstDate(dom, el, [[ns, 'published'], [ns, 'issued'], [NS.dcterms, 'issued']], 'entry', warnings),
    updated: firstDate(dom, el, [[ns, 'updated'], [ns, 'modified'], [NS.dcterms, 'modified'], [NS.dc, 'date']], 'entry', warnings),
    created: firstDate(dom, el, [[ns, 'created'], [NS.dcterms, 'created']], 'entry', warnings),
    author: formatPeople(authors),
    authorEmail: firstEmail(authors),
    summary: textConstruct(ctx, el, 'summary'),
    content: contentEl ? readAtomText(dom, contentEl) : null,
    enclosures: uniqueEnclosures(links.enclosures),
    categories: categories(ctx, el),
    comments: null,
  };
}

export function readAtom(dom: FeedDom, root: Element, documentUrl: string | null): RawFeed {
  const ctx: Context = { dom, ns: [...ATOM_NAMESPACES, dom.ns(root)], warnings: [] };
  const { ns, warnings } = ctx;
  const atom03 = dom.ns(root) === NS.atom03 || (dom.attr(root, 'version') ?? '').trim() === '0.3';
  const links = atomLinks(dom, root, ns);
  const authors = atomPeople(dom, root, 'author', ns);
  const logo = dom.child(root, ns, 'logo') ?? dom.child(root, ns, 'icon');
  const generator = dom.child(root, ns, 'generator');
  return {
    format: atom03 ? 'atom0.3' : 'atom1.0',
    title: textConstruct(ctx, root, 'title'),
    link: links.alternate ?? documentUrl,
    feedUrl: links.self ?? documentUrl,
    description: textConstruct(ctx, root, 'subtitle', 'tagline'),
    language: dom.attr(root, 'lang', NS.xml),
    updated: firstDate(dom, root, [[ns, 'updated'], [ns, 'modified']], 'feed', warnings),
    published: firstDate(dom, root, [[ns, 'published'], [ns, 'issued']], 'feed', warnings),
    hub: links.hub,
    author: formatPeople(authors),
    authorEmail: firstEmail(authors),
    rights: textConstruct(ctx, root, 'rights', 'copyright'),
    id: readId(ctx, root),
    generator: generator ? textOf(generator).trim() || null : null,
    image: logo ? absoluteUrl(textOf(logo), dom.base(logo)) : null,
    categories: categories(ctx, root),
    ttlMinutes: null,
    items: dom.children(root, ns, 'entry').map((el) => readEntry(ctx, el)),
    warnings,
  };
}
