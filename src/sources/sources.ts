// Managing sources: add (validated by fetching once), list, remove, OPML import and export.
// Shared by the CLI and the admin HTTP API so both behave the same.
import type { Kysely } from 'kysely';
import * as queries from '../../db/queries/sources.js';
import type { Database } from '../../db/schema.js';
import { UserError, messageOf } from '../errors.js';
import { fetchFeed, type FetchOptions } from '../fetch/fetcher.js';
import { buildOpml, parseOpml, OpmlError } from '../opml/opml.js';
import { parseFeed } from '../parse/parse-feed.js';
import { deleteItemsOfSource } from '../stories/story-store.js';
import { sourceToJson, type SourceJson } from './source-json.js';

/** Normalizes a feed URL for storage, or throws a UserError saying what is wrong with it. */
export function normalizeSourceUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UserError(`not a valid URL: ${JSON.stringify(input)}`, 'invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`a source URL must be http or https, not ${url.protocol}`, 'invalid_url');
  }
  if (url.username || url.password) {
    // Credentials would be stored in plain text and shown in listings and OPML exports.
    throw new UserError('a source URL must not carry a user name or password', 'invalid_url');
  }
  url.hash = '';
  return url;
}

export interface AddSourceInput {
  url: string;
  title?: string | null;
  /** Fetch the feed first and refuse it when it is not a readable feed (the default). */
  validate?: boolean;
}

export type FetchSettings = Omit<FetchOptions, 'etag' | 'lastModified' | 'signal'>;

export async function addSource(db: Kysely<Database>, fetch: FetchSettings, input: AddSourceInput): Promise<SourceJson> {
  let url = normalizeSourceUrl(input.url);
  let feedTitle: string | null = null;
  let siteUrl: string | null = null;
  let description: string | null = null;
  if (input.validate !== false) {
    try {
      const response = await fetchFeed(url.href, fetch);
      const { feed } = parseFeed({ bytes: response.body, contentType: response.headers['content-type'] ?? null, url: response.url });
      if (response.permanentUrl) url = new URL(response.permanentUrl);
      feedTitle = feed.title;
      siteUrl = feed.link === response.url ? null : feed.link;
      description = feed.description;
    } catch (error) {
      throw new UserError(`cannot add ${url.href}: ${messageOf(error)}`, 'invalid_feed', { cause: error });
    }
  }
  const existing = await queries.findSourceByUrl(db, url.href);
  if (existing) throw new UserError(`source ${url.href} already exists (id ${existing.id})`, 'conflict');
  const row = await queries.insertSource(db, {
    url: url.href,
    host: url.hostname,
    title: input.title?.trim() || feedTitle,
    site_url: siteUrl,
    description,
  });
  if (!row) throw new UserError(`source ${url.href} already exists`, 'conflict');
  return sourceToJson({ ...row, item_count: 0 });
}

export async function listSources(db: Kysely<Database>, limit = 10_000, afterId: string | null = null): Promise<SourceJson[]> {
  return (await queries.listSources(db, { limit, afterId })).map(sourceToJson);
}

export async function getSource(db: Kysely<Database>, id: string): Promise<SourceJson> {
  const row = await queries.getSource(db, id);
  if (!row) throw new UserError(`no source with id ${id}`, 'not_found');
  return sourceToJson(row);
}

export interface SourceChanges {
  title?: string | null;
  /** `failing` is set by the poller, not by hand. */
  status?: 'active' | 'paused';
  preferred?: boolean;
}

export async function updateSource(db: Kysely<Database>, id: string, changes: SourceChanges): Promise<SourceJson> {
  const set: Parameters<typeof queries.updateSource>[2] = {};
  if (changes.title !== undefined) set.title = changes.title?.trim() || null;
  if (changes.status !== undefined) set.status = changes.status;
  if (changes.preferred !== undefined) set.preferred = changes.preferred;
  if (!(await queries.updateSource(db, id, set))) throw new UserError(`no source with id ${id}`, 'not_found');
  return getSource(db, id);
}

/**
 * Removes a source and its items. The items go through src/stories first, so their stories are
 * recounted and described again (or closed, when nothing is left) in the same transaction.
 */
export async function removeSource(db: Kysely<Database>, id: string): Promise<void> {
  const removed = await db.transaction().execute(async (trx) => {
    if (!(await queries.getSource(trx, id))) return false;
    await deleteItemsOfSource(trx, id);
    return queries.deleteSource(trx, id);
  });
  if (!removed) throw new UserError(`no source with id ${id}`, 'not_found');
}

export interface ImportReport {
  added: Array<{ id: string; url: string; title: string | null }>;
  skipped: Array<{ url: string; reason: string }>;
  failed: Array<{ url: string; error: string }>;
}

/**
 * Imports every feed outline of an OPML document. Feeds are not fetched here — a thousand-feed
 * OPML would take minutes — the poller reports broken ones as `failing` on their first poll.
 */
export async function importOpml(db: Kysely<Database>, xml: string): Promise<ImportReport> {
  let feeds;
  try {
    feeds = parseOpml(xml).feeds;
  } catch (error) {
    if (error instanceof OpmlError) throw new UserError(`cannot import OPML: ${error.message}`, 'invalid_opml');
    throw error;
  }
  const report: ImportReport = { added: [], skipped: [], failed: [] };
  const known = await queries.allSourceUrls(db);
  for (const feed of feeds) {
    let url: URL;
    try {
      url = normalizeSourceUrl(feed.url);
    } catch (error) {
      report.failed.push({ url: feed.url, error: messageOf(error) });
      continue;
    }
    if (known.has(url.href)) {
      report.skipped.push({ url: url.href, reason: 'already a source' });
      continue;
    }
    const row = await queries.insertSource(db, { url: url.href, host: url.hostname, title: feed.title, site_url: feed.siteUrl });
    if (row) {
      known.add(url.href);
      report.added.push({ id: String(row.id), url: row.url, title: row.title });
    } else {
      report.skipped.push({ url: url.href, reason: 'already a source' });
    }
  }
  return report;
}

export async function exportOpml(db: Kysely<Database>): Promise<string> {
  const sources = await queries.listSources(db, { limit: 1_000_000 });
  return buildOpml(
    'feedloom sources',
    sources.map((s) => ({ url: s.url, title: s.title, siteUrl: s.site_url })),
  );
}
