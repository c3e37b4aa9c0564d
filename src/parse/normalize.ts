// Raw adapter output → the published model. Everything that must be the same for every format
// happens here: sanitizing, plain-text titles, derived ids, author inheritance.
import { deriveId } from './fields.js';
import type { NormalizedFeed, NormalizedItem } from './model.js';
import type { RawFeed, RawItem } from './raw.js';
import { toHtml, toPlain, type TextValue } from './text.js';

function titleFields(value: TextValue | null): { title: string | null; titleHtml?: string } {
  const title = toPlain(value);
  if (value?.kind !== 'html') return { title };
  const html = toHtml(value);
  return html === null ? { title } : { title, titleHtml: html };
}

function normalizeItem(raw: RawItem, feedAuthor: string | null): NormalizedItem {
  const { title, titleHtml } = titleFields(raw.title);
  const summary = toHtml(raw.summary);
  const content = toHtml(raw.content);
  return {
    id: raw.id ?? deriveId(raw.link, title, summary ?? content, raw.published),
    link: raw.link,
    title,
    ...(titleHtml !== undefined ? { titleHtml } : {}),
    published: raw.published,
    updated: raw.updated,
    // RFC 4287 §4.2.1: an entry without an author has the feed's.
    author: raw.author ?? feedAuthor,
    summary,
    content,
    enclosures: raw.enclosures,
    categories: raw.categories,
    ...(raw.comments ? { comments: raw.comments } : {}),
  };
}

export function normalizeFeed(raw: RawFeed): NormalizedFeed {
  const { title, titleHtml } = titleFields(raw.title);
  const rights = toHtml(raw.rights);
  return {
    format: raw.format,
    title,
    ...(titleHtml !== undefined ? { titleHtml } : {}),
    link: raw.link,
    feedUrl: raw.feedUrl,
    description: toHtml(raw.description),
    language: raw.language,
    updated: raw.updated,
    hub: raw.hub,
    ...(rights !== null ? { rights } : {}),
    ...(raw.id ? { id: raw.id } : {}),
    items: raw.items.map((item) => normalizeItem(item, raw.author)),
    warnings: raw.warnings,
  };
}
