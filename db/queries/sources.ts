// Queries on the sources table. Callers get rows; shaping for JSON happens in src/sources.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewSource, SourceRow } from '../schema.js';

export type SourceWithCount = SourceRow & { item_count: number };

export async function insertSource(db: Kysely<Database>, source: NewSource): Promise<SourceRow | null> {
  // ON CONFLICT keeps concurrent adds of one URL (two admins, an OPML with duplicates) from failing.
  const row = await db
    .insertInto('sources')
    .values(source)
    .onConflict((oc) => oc.column('url').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function findSourceByUrl(db: Kysely<Database> | Transaction<Database>, url: string): Promise<SourceRow | null> {
  return (await db.selectFrom('sources').selectAll().where('url', '=', url).executeTakeFirst()) ?? null;
}

// Counted per source on read; cheap with items_source_published_idx and always right.
const itemCount = sql<number>`(select count(*)::int from items where items.source_id = sources.id)`;

export async function getSource(db: Kysely<Database>, id: string): Promise<SourceWithCount | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const row = await db
    .selectFrom('sources')
    .selectAll('sources')
    .select(() => itemCount.as('item_count'))
    .where('sources.id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

export interface ListSourcesOptions {
  limit: number;
  /** Keyset pagination: ids greater than this one. */
  afterId?: string | null;
}

export async function listSources(db: Kysely<Database>, options: ListSourcesOptions): Promise<SourceWithCount[]> {
  let query = db
    .selectFrom('sources')
    .selectAll('sources')
    .select(() => itemCount.as('item_count'))
    .orderBy('sources.id')
    .limit(options.limit);
  if (options.afterId) query = query.where('sources.id', '>', options.afterId);
  return query.execute();
}

export async function deleteSource(db: Kysely<Database>, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const result = await db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function allSourceUrls(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('sources').select('url').execute();
  return new Set(rows.map((r) => r.url));
}

export async function updateSource(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<SourceRow, 'title' | 'status' | 'preferred'>>,
): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const result = await db
    .updateTable('sources')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
