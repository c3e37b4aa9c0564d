// Queries on the topics table.
import type { Kysely } from 'kysely';
import type { Database, NewTopic, TopicRow } from '../schema.js';

export async function insertTopic(db: Kysely<Database>, topic: NewTopic): Promise<TopicRow | null> {
  const row = await db
    .insertInto('topics')
    .values(topic)
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function listTopics(db: Kysely<Database>): Promise<TopicRow[]> {
  return db.selectFrom('topics').selectAll().orderBy('slug').execute();
}

export async function getTopic(db: Kysely<Database>, slug: string): Promise<TopicRow | null> {
  return (await db.selectFrom('topics').selectAll().where('slug', '=', slug).executeTakeFirst()) ?? null;
}

export async function deleteTopic(db: Kysely<Database>, slug: string): Promise<boolean> {
  const result = await db.deleteFrom('topics').where('slug', '=', slug).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function updateTopic(
  db: Kysely<Database>,
  slug: string,
  changes: Partial<Pick<TopicRow, 'title' | 'description' | 'query'>>,
): Promise<TopicRow | null> {
  const row = await db
    .updateTable('topics')
    .set({ ...changes, updated_at: new Date() })
    .where('slug', '=', slug)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}
