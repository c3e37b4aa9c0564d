// The one normalized feed model every format adapter (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed
// 1.0/1.1) maps onto. It is exactly what `feedloom inspect` prints (docs/interface.md).

export type FeedFormat = 'rss2.0' | 'rss0.9x' | 'rss1.0' | 'atom1.0' | 'atom0.3' | 'json1.0' | 'json1.1';

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
}

export interface NormalizedItem {
  /** guid/id as published; derived (link, else a content hash) when absent. */
  id: string;
  /** Absolute URL, or null. */
  link: string | null;
  /** Plain text (markup and entities decoded), or null when the item has no title. */
  title: string | null;
  /** The title as sanitized HTML, present only when the feed marked it up as HTML. */
  titleHtml?: string;
  /** ISO 8601 UTC, or null. */
  published: string | null;
  updated: string | null;
  /** Names joined with ", "; the e-mail when no name; inherited from the feed. */
  author: string | null;
  /** Sanitized HTML with absolute URLs. */
  summary: string | null;
  content: string | null;
  enclosures: Enclosure[];
  categories: string[];
  /** RSS <comments>: the page with the item's comments. */
  comments?: string;
  /** Extensions: the first author's e-mail, Atom 0.3/dcterms creation date. */
  authorEmail?: string;
  created?: string;
}

export interface NormalizedFeed {
  format: FeedFormat;
  title: string | null;
  titleHtml?: string;
  /** The site (alternate) link, else the document URL. */
  link: string | null;
  /** The self link, else the document URL. */
  feedUrl: string | null;
  /** Sanitized HTML. */
  description: string | null;
  language: string | null;
  updated: string | null;
  /** WebSub hub, or null. */
  hub: string | null;
  /** Copyright notice as sanitized HTML (extension). */
  rights?: string;
  /** Atom feed id (extension). */
  id?: string;
  /** Extensions: feed-level author(s) joined with ", " and the first e-mail, publication date, generator, logo, categories. */
  author?: string;
  authorEmail?: string;
  published?: string;
  generator?: string;
  image?: string;
  categories?: string[];
  items: NormalizedItem[];
  /** Recoverable problems met while reading. */
  warnings: string[];
}
