// OPML 2.0 (http://opml.org/spec2.opml), the format every feed reader imports and exports.
// Parsing and building go through fast-xml-parser: entity handling and escaping are solved problems.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export interface OpmlFeed {
  url: string;
  title: string | null;
  siteUrl: string | null;
  /** Names of the enclosing outlines, outermost first ("News/World"). */
  categories: string[];
}

export interface OpmlDocument {
  title: string | null;
  feeds: OpmlFeed[];
}

export class OpmlError extends Error {
  override readonly name = 'OpmlError';
}

type Outline = Record<string, unknown> & { outline?: Outline[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Outlines nest arbitrarily deep; keep them arrays even when there is one.
  isArray: (name) => name === 'outline',
  processEntities: true,
  htmlEntities: true,
  parseAttributeValue: false,
  trimValues: true,
});

const str = (value: unknown): string | null => {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
};

export function parseOpml(xml: string): OpmlDocument {
  if (xml.trim() === '') throw new OpmlError('the document is empty');
  let doc: Record<string, any>;
  try {
    doc = parser.parse(xml, true) as Record<string, any>;
  } catch (error) {
    const detail = error && typeof error === 'object' && 'err' in error ? (error as any).err?.msg : (error as Error).message;
    throw new OpmlError(`not well-formed XML: ${String(detail ?? 'parse error').replace(/:undefined$/, '')}`);
  }
  const opml = doc.opml;
  if (!opml || typeof opml !== 'object') throw new OpmlError('not an OPML document (no <opml> root)');
  const body = opml.body;
  const feeds: OpmlFeed[] = [];
  const walk = (outlines: Outline[] | undefined, path: string[]) => {
    for (const outline of outlines ?? []) {
      const url = str(outline.xmlUrl) ?? str(outline.xmlurl) ?? str(outline.url);
      let name = str(outline.title) ?? str(outline.text);
      // Exporters (ours included) put the URL in `text` when a feed has no title.
      if (name === url) name = null;
      if (url && (str(outline.type)?.toLowerCase() ?? 'rss') !== 'link') {
        feeds.push({ url, title: name, siteUrl: str(outline.htmlUrl) ?? str(outline.htmlurl), categories: path });
      }
      if (outline.outline) walk(outline.outline, name && !url ? [...path, name] : path);
    }
  };
  walk(body && typeof body === 'object' ? (body.outline as Outline[]) : [], []);
  return { title: str(opml.head?.title), feeds };
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

export interface OpmlExportFeed {
  url: string;
  title: string | null;
  siteUrl: string | null;
}

/**
 * `dateCreated` is `now`; null leaves it out, for a list whose content does not change with the
 * moment it is asked for (the topic feeds).
 */
export function buildOpml(title: string, feeds: OpmlExportFeed[], now: Date | null = new Date()): string {
  const outline = feeds.map((feed) => ({
    '@_type': 'rss',
    '@_text': feed.title ?? feed.url,
    ...(feed.title ? { '@_title': feed.title } : {}),
    '@_xmlUrl': feed.url,
    ...(feed.siteUrl ? { '@_htmlUrl': feed.siteUrl } : {}),
  }));
  const xml = builder.build({
    opml: {
      '@_version': '2.0',
      head: { title, ...(now ? { dateCreated: now.toUTCString() } : {}) },
      body: { outline },
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
