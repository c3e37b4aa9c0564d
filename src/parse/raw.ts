// What a format adapter produces: the model's fields, with text constructs still raw (text or
// HTML plus base URL). normalize.ts turns them into the published model in one place, so
// sanitizing, id derivation and author inheritance are the same for every format.
import type { Element } from 'domhandler';
import { absoluteUrl, readDate, readEnclosure, type Person } from './fields.js';
import type { Enclosure, FeedFormat } from './model.js';
import type { TextValue } from './text.js';
import { NS, textOf, type FeedDom } from './xml/dom.js';

export interface RawItem {
  id: string | null;
  link: string | null;
  title: TextValue | null;
  published: string | null;
  updated: string | null;
  /** Atom 0.3 / dcterms creation date (extension). */
  created: string | null;
  author: string | null;
  authorEmail: string | null;
  summary: TextValue | null;
  content: TextValue | null;
  enclosures: Enclosure[];
  categories: string[];
  comments: string | null;
}

export interface RawFeed {
  format: FeedFormat;
  title: TextValue | null;
  link: string | null;
  feedUrl: string | null;
  description: TextValue | null;
  language: string | null;
  updated: string | null;
  published: string | null;
  hub: string | null;
  /** The feed's author(s), inherited by items without one. */
  author: string | null;
  authorEmail: string | null;
  rights: TextValue | null;
  id: string | null;
  generator: string | null;
  /** Logo/image URL. */
  image: string | null;
  categories: string[];
  /** RSS <ttl>: a scheduling hint for the poller. */
  ttlMinutes: number | null;
  items: RawItem[];
  warnings: string[];
}

export interface AtomLinks {
  alternate: string | null;
  self: string | null;
  hub: string | null;
  enclosures: Array<Enclosure | null>;
}

export const ATOM_NAMESPACES: readonly string[] = [NS.atom, NS.atom03];

/** atom:link elements (in Atom documents, and as an extension in RSS). */
export function atomLinks(dom: FeedDom, el: Element, ns: readonly string[] = ATOM_NAMESPACES): AtomLinks {
  const result: AtomLinks = { alternate: null, self: null, hub: null, enclosures: [] };
  let alternateType: string | null = null;
  for (const link of dom.children(el, ns, 'link')) {
    const rel = (dom.attr(link, 'rel') ?? 'alternate').trim().toLowerCase();
    const type = dom.attr(link, 'type')?.trim().toLowerCase() ?? null;
    // Some Atom 0.3 feeds put the address in the element's text instead of href.
    const href = absoluteUrl(dom.attr(link, 'href') ?? textOf(link), dom.base(link));
    if (!href) continue;
    if (rel === 'alternate' || rel === 'http://www.iana.org/assignments/relation/alternate') {
      // Prefer the HTML page when several alternates exist.
      const better = !result.alternate || (alternateType !== 'text/html' && type === 'text/html');
      if (better) {
        result.alternate = href;
        alternateType = type;
      }
    } else if (rel === 'self') {
      result.self ??= href;
    } else if (rel === 'hub') {
      result.hub ??= href;
    } else if (rel === 'enclosure') {
      result.enclosures.push(readEnclosure(href, dom.attr(link, 'type'), dom.attr(link, 'length'), null));
    }
  }
  return result;
}

/** atom:author / atom:contributor person constructs. */
export function atomPeople(
  dom: FeedDom,
  el: Element,
  kind: 'author' | 'contributor',
  ns: readonly string[] = ATOM_NAMESPACES,
): Person[] {
  return dom.children(el, ns, kind).map((p) => {
    const name = dom.child(p, ns, 'name');
    const email = dom.child(p, ns, 'email');
    // Atom 0.3-era feeds sometimes put the name straight in <author>.
    const bare = !name && !email ? textOf(p).trim() : '';
    return {
      name: (name ? textOf(name).trim() : bare) || null,
      email: (email ? textOf(email).trim() : '') || null,
    };
  });
}

/** The first readable date among candidate elements, in order of preference. */
export function firstDate(
  dom: FeedDom,
  el: Element,
  candidates: Array<[string | readonly string[], string]>,
  what: string,
  warnings: string[],
): string | null {
  for (const [ns, name] of candidates) {
    const found = dom.child(el, ns, name);
    const value = found ? readDate(textOf(found), `${what} ${name}`, warnings) : null;
    if (value) return value;
  }
  return null;
}
