// A tolerant, namespace-aware view of a feed document. htmlparser2 in XML mode never gives up on
// broken markup (real feeds are full of it), but it knows nothing of namespaces or xml:base, so
// this module adds both: elements are looked up by (namespace, local name), and every element
// knows the base URL that relative references inside it resolve against.
import { Parser, type ParserOptions } from 'htmlparser2';
import { DomHandler, Element, Text, CDATA, type AnyNode, type Document, type DomHandlerOptions } from 'domhandler';
import { getOuterHTML } from 'domutils';
import { placeholderIndex } from './set-aside.js';

/** Short names for the namespaces feeds use; unknown namespaces keep their URI. */
export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  feedburner: 'http://rssnamespace.org/feedburner/ext/1.0',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

// Feeds in the wild use a few wrong-but-unambiguous URIs for the same vocabularies. Keys are
// lower-case: namespace URIs are compared case-insensitively (…/DTDs/Podcast-1.0.dtd is common).
const NS_ALIASES: Record<string, string> = {
  ...Object.fromEntries(Object.values(NS).map((uri) => [uri.toLowerCase(), uri])),
  'http://purl.org/dc/elements/1.0/': NS.dc,
  'http://purl.org/atom/ns#draft-ietf-atompub-format-07': NS.atom,
  'http://search.yahoo.com/mrss': NS.media,
  'http://www.itunes.com/dtds/podcast-1.0.dtd#': NS.itunes,
  'http://backend.userland.com/rss': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss2.1': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
};

// Prefixes that feeds use without declaring them; the conventional meaning is the only sensible one.
const CONVENTIONAL_PREFIXES: Record<string, string> = {
  dc: NS.dc,
  dcterms: NS.dcterms,
  content: NS.content,
  atom: NS.atom,
  media: NS.media,
  itunes: NS.itunes,
  feedburner: NS.feedburner,
  rdf: NS.rdf,
  xhtml: NS.xhtml,
  xml: NS.xml,
};

export interface FeedDom {
  document: Document;
  root: Element | null;
  /** The namespace URI of an element ('' for none). */
  ns(el: Element): string;
  /** The element's name without prefix. */
  local(el: Element): string;
  /**
   * Child elements matching a namespace and local name (any of several namespaces). Names match
   * case-insensitively: feed readers have always accepted <Title> and CDF's <TITLE>.
   */
  children(el: Element, ns: string | readonly string[], local: string): Element[];
  /** The last matching child: when a feed repeats an element, the last one wins (as in feedparser). */
  child(el: Element, ns: string | readonly string[], local: string): Element | null;
  /** An attribute by local name, unprefixed or in the given namespace; the name matches case-insensitively. */
  attr(el: Element, name: string, ns?: string): string | null;
  /** The base URL for relative references inside `el` (xml:base on it and its ancestors, then the document URL). */
  base(el: Element): string | null;
}

export function elementChildren(el: Element | Document): Element[] {
  return el.children.filter((c): c is Element => c instanceof Element);
}

/** Concatenated text and CDATA below a node, with no markup. */
export function textOf(node: AnyNode): string {
  if (node instanceof Text) return node.data;
  if (node instanceof CDATA || node instanceof Element) return node.children.map(textOf).join('');
  if ('children' in node) return (node as Document).children.map(textOf).join('');
  return '';
}

/**
 * The children of an element as markup, for inline XHTML content. Prefixes are dropped
 * (`<xhtml:b>` → `<b>`) because the result is read as HTML.
 */
export function innerMarkup(el: Element): string {
  const strip = (node: AnyNode): void => {
    if (node instanceof Element) {
      node.name = node.name.replace(/^[\w.-]+:/, '');
      for (const name of Object.keys(node.attribs)) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) delete node.attribs[name];
      }
      node.children.forEach(strip);
    }
  };
  el.children.forEach(strip);
  return getOuterHTML(el.children, { xmlMode: false, decodeEntities: true, encodeEntities: 'utf8' });
}

function resolve(url: string, base: string | null): string | null {
  try {
    return new URL(url.trim(), base ?? undefined).href;
  } catch {
    return base;
  }
}

const OPTIONS: ParserOptions & DomHandlerOptions = { xmlMode: true, decodeEntities: true, recognizeCDATA: true };

// Elements that hold only other elements: the white space between their children is layout, and
// leaving it out saves a third of the nodes of a typical feed.
const CONTAINERS = new Set(['rss', 'channel', 'item', 'feed', 'entry', 'rdf']);
const ONLY_SPACE = /^[ \t\r\n]*$/;

/**
 * The DOM builder: domhandler's, except that it puts set-aside stretches (see set-aside.ts) back
 * as the tokenizer reports their placeholders, and skips white space between the children of
 * container elements.
 */
class FeedDomHandler extends DomHandler {
  restored = 0;
  constructor(private readonly sections: readonly string[]) {
    super(undefined, OPTIONS);
  }
  override ontext(data: string): void {
    const parent = this.tagStack[this.tagStack.length - 1];
    if (this.lastNode === null) {
      // A text placeholder stands alone between two tags; inside CDATA, lastNode is the section's text.
      if (placeholderIndex(data) === this.restored && this.restored < this.sections.length) {
        super.ontext(this.sections[this.restored++]!);
        return;
      }
      if (parent instanceof Element && ONLY_SPACE.test(data)) {
        const colon = parent.name.indexOf(':');
        if (CONTAINERS.has((colon < 0 ? parent.name : parent.name.slice(colon + 1)).toLowerCase())) return;
      }
    }
    super.ontext(data);
  }
  override oncdataend(): void {
    const text = this.lastNode;
    if (text instanceof Text && placeholderIndex(text.data) === this.restored && this.restored < this.sections.length) {
      text.data = this.sections[this.restored++]!;
    }
    super.oncdataend();
  }
}

function parseDocument(xml: string, sections: readonly string[]): Document | null {
  const handler = new FeedDomHandler(sections);
  new Parser(handler, OPTIONS).end(xml);
  // Every placeholder must come back once and in order; anything else (a stretch the tokenizer did
  // not read as expected) means the document is read again without them.
  return handler.restored === sections.length ? handler.root : null;
}

/**
 * The DOM of a prepared document. `sections` holds the stretches prepareXml set aside; `original`
 * is called for the document without placeholders if they could not all be restored.
 */
export function parseFeedDom(xml: string, documentUrl: string | null, sections: readonly string[] = [], original?: () => string): FeedDom {
  let document = parseDocument(xml, sections);
  if (document === null) {
    if (!original) throw new Error('set-aside sections could not be restored');
    document = parseDocument(original(), [])!;
  }
  const root = elementChildren(document)[0] ?? null;
  const nsCache = new WeakMap<Element, string>();
  const baseCache = new WeakMap<Element, string | null>();

  const prefixOf = (name: string): string | null => {
    const colon = name.indexOf(':');
    return colon > 0 ? name.slice(0, colon) : null;
  };
  const lookupPrefix = (el: Element, prefix: string | null): string => {
    const attribute = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
    for (let node: Element | null = el; node; node = node.parent instanceof Element ? node.parent : null) {
      const declared = node.attribs[attribute];
      if (declared !== undefined) {
        const uri = declared.trim();
        return NS_ALIASES[uri.toLowerCase()] ?? uri;
      }
    }
    return prefix === null ? '' : (CONVENTIONAL_PREFIXES[prefix.toLowerCase()] ?? prefix);
  };
  const ns = (el: Element): string => {
    let value = nsCache.get(el);
    if (value === undefined) {
      value = lookupPrefix(el, prefixOf(el.name));
      nsCache.set(el, value);
    }
    return value;
  };
  const local = (el: Element): string => {
    const colon = el.name.indexOf(':');
    return colon > 0 ? el.name.slice(colon + 1) : el.name;
  };
  // Adapters ask each item for some forty element names; an index of its children by lower-case
  // local name, built once per element, answers each question without scanning them all again.
  const childIndex = new WeakMap<Element, Map<string, Element[]>>();
  const indexOf = (el: Element): Map<string, Element[]> => {
    let index = childIndex.get(el);
    if (index === undefined) {
      index = new Map();
      for (const child of el.children) {
        if (!(child instanceof Element)) continue;
        const key = local(child).toLowerCase();
        const list = index.get(key);
        if (list) list.push(child);
        else index.set(key, [child]);
      }
      childIndex.set(el, index);
    }
    return index;
  };
  const children = (el: Element, want: string | readonly string[], name: string): Element[] => {
    const named = indexOf(el).get(name.toLowerCase());
    if (named === undefined) return [];
    return named.filter((c) => {
      const have = ns(c);
      return typeof want === 'string' ? have === want : want.includes(have);
    });
  };

  const attr = (el: Element, name: string, namespace?: string): string | null => {
    const direct = el.attribs[name];
    if (direct !== undefined) return direct;
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(el.attribs)) {
      const colon = key.indexOf(':');
      if (colon < 0 && !namespace && key.toLowerCase() === wanted) return value;
      if (colon > 0 && key.slice(colon + 1).toLowerCase() === wanted) {
        if (!namespace || lookupPrefix(el, key.slice(0, colon)) === namespace) return value;
      }
    }
    return null;
  };

  const base = (el: Element): string | null => {
    if (baseCache.has(el)) return baseCache.get(el)!;
    const parent = el.parent instanceof Element ? base(el.parent) : documentUrl;
    const own = el.attribs['xml:base'];
    const value = own !== undefined ? resolve(own, parent) : parent;
    baseCache.set(el, value);
    return value;
  };

  return {
    document,
    root,
    ns,
    local,
    children,
    child: (el, want, name) => children(el, want, name).at(-1) ?? null,
    attr,
    base,
  };
}
