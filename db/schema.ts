// Table types for kysely. They mirror db/migrations exactly; a test compares them with the live
// catalogue so the two cannot drift apart.
//
// bigint ids come back from pg as strings, which is also what the public JSON uses ("ids are strings").
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A timestamptz column: written as Date or ISO string, read as Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz column with a database default. */
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A bigserial id: generated on insert, read as a decimal string, never updated. */
export type Id = ColumnType<string, never, never>;
/** A bigint foreign key: read as a string, written as string or number. */
export type IdRef = ColumnType<string, string | number | bigint, string | number | bigint>;
export type Json<T> = ColumnType<T, string, string>;
/** A jsonb column with a database default: optional on insert. */
export type DefaultJson<T> = ColumnType<T, string | undefined, string>;

export type SourceStatus = 'active' | 'paused' | 'failing';

export interface SourcesTable {
  id: Id;
  /** The feed URL as given (after permanent redirects, the new one). */
  url: string;
  /** Lower-cased host of `url`, for per-host politeness limits. */
  host: string;
  title: string | null;
  site_url: string | null;
  description: string | null;
  status: Generated<SourceStatus>;
  /** An admin's "this outlet is the original" mark, used by dedup to choose which copy leads. */
  preferred: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  // Poll scheduling.
  next_poll_at: DefaultTimestamp;
  poll_interval_seconds: Generated<number>;
  last_polled_at: Timestamp | null;
  last_success_at: Timestamp | null;
  etag: string | null;
  last_modified: string | null;
  error_count: Generated<number>;
  last_error: string | null;
  // Lease, so that several workers on one PostgreSQL never fetch the same source at once.
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
}

export interface ItemsTable {
  id: Id;
  source_id: IdRef;
  /** guid/id as published, or one derived from link/content when the feed gives none. */
  guid: string;
  url: string | null;
  /** url normalized for cross-feed duplicate detection (tracking parameters stripped…). */
  canonical_url: string | null;
  title: string | null;
  summary: string | null;
  content: string | null;
  author: string | null;
  lang: string | null;
  enclosures: DefaultJson<Array<{ url: string; type: string | null; length: number | null }>>;
  categories: DefaultJson<string[]>;
  published_at: Timestamp | null;
  updated_at: Timestamp | null;
  fetched_at: DefaultTimestamp;
  /** Hash of normalized title + text: exact-copy detection and "did this item change". */
  content_hash: string | null;
  /** MinHash signature of the story text's word 3-shingles, for near-duplicate (wire copy) detection. */
  minhash: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  duplicate_of: IdRef | null;
  duplicate_reason: 'guid' | 'url' | 'near' | null;
  duplicate_similarity: number | null;
  cluster_id: IdRef | null;
  /** Why the item joined its cluster: similarity, shared terms, time gap. */
  cluster_similarity: number | null;
  cluster_reason: Json<Record<string, unknown>> | null;
  /** Generated full-text vector over title (weight A), summary (B) and content (C). */
  search: ColumnType<string, never, never>;
}

export type ClusterStatus = 'open' | 'closed' | 'merged';

export interface ClustersTable {
  id: Id;
  label: string | null;
  terms: DefaultJson<string[]>;
  status: Generated<ClusterStatus>;
  /** Set when this story was merged into another: its id then redirects there. */
  merged_into: IdRef | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  first_published_at: Timestamp | null;
  last_published_at: Timestamp | null;
  item_count: Generated<number>;
  source_count: Generated<number>;
}

export interface TopicsTable {
  slug: string;
  title: string;
  description: string | null;
  query: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type FetchStatus = 'ok' | 'not_modified' | 'error';

export interface FetchHistoryTable {
  id: Id;
  source_id: IdRef;
  started_at: Timestamp;
  duration_ms: number;
  status: FetchStatus;
  http_status: number | null;
  bytes: number | null;
  items_new: Generated<number>;
  items_updated: Generated<number>;
  error_kind: string | null;
  error_message: string | null;
}

export interface HostsTable {
  host: string;
  /** No source on this host is polled before this time. */
  blocked_until: Timestamp;
  reason: string | null;
  updated_at: DefaultTimestamp;
}

/** Items in the order their store transactions passed the dedup lock (commit order). */
export interface DedupLogTable {
  seq: Generated<string>;
  item_id: IdRef;
  logged_at: DefaultTimestamp;
}

export interface Database {
  sources: SourcesTable;
  items: ItemsTable;
  clusters: ClustersTable;
  topics: TopicsTable;
  fetch_history: FetchHistoryTable;
  hosts: HostsTable;
  dedup_log: DedupLogTable;
}

export type SourceRow = Selectable<SourcesTable>;
export type NewSource = Insertable<SourcesTable>;
export type ItemRow = Selectable<ItemsTable>;
export type NewItem = Insertable<ItemsTable>;
export type ClusterRow = Selectable<ClustersTable>;
export type TopicRow = Selectable<TopicsTable>;
export type NewTopic = Insertable<TopicsTable>;
