// Every published feed format, in the order WebSub pings them. Routes, the feed cache and WebSub
// know formats only through this list: a new format is one file exporting a FeedFormat and one
// entry here.
import type { FeedFormat } from '../story-feed.js';
import { atom } from './atom.js';
import { json } from './json.js';
import { rss } from './rss.js';

export type { FeedFormat };

export const FEED_FORMATS = [rss, atom, json] as const satisfies readonly FeedFormat[];

export type RegisteredFormat = (typeof FEED_FORMATS)[number];
/** A registered format's extension: 'rss' | 'atom' | 'json'. */
export type FormatName = RegisteredFormat['extension'];

const byExtension = new Map<string, RegisteredFormat>();
for (const format of FEED_FORMATS) {
  // Feed paths are parsed as NAME.EXTENSION; anything else in an extension would never be matched.
  if (!/^[a-z0-9]+$/.test(format.extension) || byExtension.has(format.extension)) {
    throw new Error(`feed format extension ${JSON.stringify(format.extension)} is not unique lower-case letters and digits`);
  }
  byExtension.set(format.extension, format);
}

/** The registered format of that name. */
export function feedFormat(name: FormatName): RegisteredFormat {
  return byExtension.get(name)!;
}

/** The format a feed path's extension names, or null. */
export function formatByExtension(extension: string): RegisteredFormat | null {
  return byExtension.get(extension) ?? null;
}

/** ".rss, .atom or .json": the extensions as a message names them. */
export function extensionList(): string {
  const names = FEED_FORMATS.map((f) => `.${f.extension}`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
}
