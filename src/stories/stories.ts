// Stories (clusters) and items as the public JSON shapes (docs/interface.md), for the HTTP API and the
// CLI alike: camelCase, ISO 8601 UTC, ids as strings.
import type { Kysely } from 'kysely';
import * as itemQueries from '../../db/queries/items.js';
import type { Keyset } from '../../db/queries/listing.js';
import * as queries from '../../db/queries/stories.js';
import type { ClusterRow, Database } from '../../db/schema.js';
import type { TopicQuery } from '../topics/query.js';
import { itemMatchesTopic } from '../topics/query-sql.js';

export type { Keyset } from '../../db/queries/listing.js';

export interface ItemJson {
  id: string;
  guid: string;
  url: string | null;
  title: string | null;
  summary: string | null;
  author: string | null;
  publishedAt: string | null;
  fetchedAt: string;
  source: { id: string; title: string | null; url: string };
  clusterId: string | null;
  duplicateOf: string | null;
}

/** Why an item is in its story. */
export interface MembershipJson {
  reason: 'new story' | 'similar' | 'duplicate';
  similarity: number | null;
  sharedTerms: string[];
  timeGapHours: number | null;
  duplicateOf: string | null;
  duplicateReason: 'guid' | 'url' | 'near' | null;
}

export type ItemWithMembershipJson = ItemJson & { membership: MembershipJson };

export interface ClusterJson<I extends ItemJson = ItemJson> {
  id: string;
  label: string | null;
  createdAt: string;
  updatedAt: string;
  firstPublishedAt: string | null;
  lastPublishedAt: string | null;
  itemCount: number;
  sourceCount: number;
  terms: string[];
  items: I[];
}

export interface Page<T> {
  rows: T[];
  /** Where the next page starts, or null on the last page. */
  next: Keyset | null;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);
const idOrNull = (value: string | number | null): string | null => (value === null ? null : String(value));
const finiteOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function itemToJson(row: itemQueries.StoryItemRow): ItemJson {
  return {
    id: String(row.id),
    guid: row.guid,
    url: row.url,
    title: row.title,
    summary: row.summary,
    author: row.author,
    publishedAt: iso(row.published_at),
    fetchedAt: row.fetched_at.toISOString(),
    source: { id: String(row.source_id), title: row.source_title, url: row.source_url },
    clusterId: idOrNull(row.cluster_id),
    duplicateOf: idOrNull(row.duplicate_of),
  };
}

/**
 * The membership explanation, from items.cluster_reason (written by the clustering stage, e.g.
 * {"reason":"similar","similarity":0.41,"sharedTerms":[…],"timeGapHours":2.5}) and the duplicate columns.
 */
export function membershipOf(row: itemQueries.StoryItemRow): MembershipJson {
  const reason: Record<string, unknown> = row.cluster_reason && typeof row.cluster_reason === 'object' ? row.cluster_reason : {};
  const sharedTerms = strings(reason.sharedTerms);
  const timeGapHours = finiteOrNull(reason.timeGapHours);
  if (row.duplicate_of !== null) {
    return {
      reason: 'duplicate',
      similarity: finiteOrNull(row.duplicate_similarity),
      sharedTerms,
      timeGapHours,
      duplicateOf: String(row.duplicate_of),
      duplicateReason: row.duplicate_reason,
    };
  }
  const similarity = finiteOrNull(reason.similarity) ?? finiteOrNull(row.cluster_similarity);
  const similar = reason.reason === 'similar' || (reason.reason !== 'new story' && similarity !== null);
  return {
    reason: similar ? 'similar' : 'new story',
    similarity: similar ? similarity : null,
    sharedTerms: similar ? sharedTerms : [],
    timeGapHours: similar ? timeGapHours : null,
    duplicateOf: null,
    duplicateReason: null,
  };
}

function clusterToJson<I extends ItemJson>(row: ClusterRow, items: I[]): ClusterJson<I> {
  return {
    id: String(row.id),
    label: row.label,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    firstPublishedAt: iso(row.first_published_at),
    lastPublishedAt: iso(row.last_published_at),
    itemCount: row.item_count,
    sourceCount: row.source_count,
    terms: strings(row.terms),
    items,
  };
}

export type ClusterFilter = Omit<queries.ClusterFilter, 'matching'> & {
  /** Stories with at least one item matching this topic query. */
  topic?: TopicQuery | null;
};

/** A page of stories with items, each with all its items (one query for the stories, one for their items). */
export async function listClusters(db: Kysely<Database>, filter: ClusterFilter): Promise<Page<ClusterJson>> {
  const { topic, ...rest } = filter;
  const rows = await queries.listClusters(db, { ...rest, matching: topic ? itemMatchesTopic(topic) : null, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const byCluster = new Map<string, ItemJson[]>(page.map((c) => [String(c.id), []]));
  for (const item of await itemQueries.itemsOfClusters(db, [...byCluster.keys()])) {
    byCluster.get(String(item.cluster_id))?.push(itemToJson(item));
  }
  const last = page[page.length - 1];
  return {
    rows: page.map((c) => clusterToJson(c, byCluster.get(String(c.id)) ?? [])),
    next: rows.length > filter.limit && last ? { at: last.keyset_at, id: String(last.id) } : null,
  };
}

export type ClusterLookup =
  | { kind: 'found'; cluster: ClusterJson<ItemWithMembershipJson> }
  | { kind: 'merged'; into: string }
  | { kind: 'missing' };

/**
 * One story with every item and why it is there; a merged story points at its successor. A story
 * left without items (its articles pruned or their source removed) is gone for readers.
 */
export async function getCluster(db: Kysely<Database>, id: string): Promise<ClusterLookup> {
  const row = await queries.getCluster(db, id);
  if (!row || (row.status !== 'merged' && row.item_count === 0)) return { kind: 'missing' };
  if (row.status === 'merged') {
    // A merge target that was deleted leaves nothing to show.
    return row.merged_into === null ? { kind: 'missing' } : { kind: 'merged', into: String(row.merged_into) };
  }
  const items = await itemQueries.itemsOfClusters(db, [String(row.id)]);
  return { kind: 'found', cluster: clusterToJson(row, items.map((i) => ({ ...itemToJson(i), membership: membershipOf(i) }))) };
}

/** A page of items, newest first. */
export async function listItems(db: Kysely<Database>, filter: itemQueries.ItemFilter): Promise<Page<ItemJson>> {
  const rows = await itemQueries.listItems(db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(itemToJson),
    next: rows.length > filter.limit && last ? { at: last.keyset_at, id: String(last.id) } : null,
  };
}

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses an ISO 8601 date or date-time ("2024-05-01", "2024-05-01T10:00Z", "…+02:00"); a time
 * without an offset is UTC. Null when the text is not one or names an impossible date.
 */
export function parseIsoTime(text: string): Date | null {
  const m = ISO_PATTERN.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let normalized = text.trim().replace(' ', 'T');
  if (!m[4]) normalized += 'T00:00:00';
  if (!zone) normalized += 'Z';
  const time = Date.parse(normalized);
  return Number.isNaN(time) ? null : new Date(time);
}
