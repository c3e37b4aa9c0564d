// Topics: named queries whose matching stories are published as merged feeds.
import type { Kysely } from 'kysely';
import * as queries from '../../db/queries/topics.js';
import type { Database, TopicRow } from '../../db/schema.js';
import { UserError } from '../errors.js';
import { parseTopicQuery, TopicQueryError, type TopicQuery } from './query.js';

export interface TopicJson {
  slug: string;
  title: string;
  description: string | null;
  query: string;
  createdAt: string;
  updatedAt: string;
}

/** `all` is built in: every story. */
export const RESERVED_SLUGS = new Set(['all']);
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function topicToJson(row: TopicRow): TopicJson {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    query: row.query,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface AddTopicInput {
  slug: string;
  title: string;
  query: string;
  description?: string | null;
}

export async function addTopic(db: Kysely<Database>, input: AddTopicInput): Promise<TopicJson> {
  const slug = input.slug.trim();
  // The slug becomes a URL path (/feeds/{slug}.rss), so it is kept to what needs no escaping.
  if (!SLUG.test(slug)) {
    throw new UserError(
      `invalid topic slug ${JSON.stringify(input.slug)}: use 1-64 lower-case letters, digits and inner hyphens`,
      'invalid_slug',
    );
  }
  if (RESERVED_SLUGS.has(slug)) throw new UserError(`topic slug "${slug}" is built in`, 'conflict');
  const title = input.title.trim();
  if (!title) throw new UserError('a topic needs a title', 'invalid_topic');
  const query = checkQuery(input.query);
  const row = await queries.insertTopic(db, { slug, title, query, description: input.description?.trim() || null });
  if (!row) throw new UserError(`topic "${slug}" already exists`, 'conflict');
  return topicToJson(row);
}

function checkQuery(input: string): string {
  const query = input.trim();
  if (!query) throw new UserError('a topic needs a query', 'invalid_query');
  if (query.length > 2000) throw new UserError('a topic query is limited to 2000 characters', 'invalid_query');
  try {
    parseTopicQuery(query);
  } catch (error) {
    if (error instanceof TopicQueryError) throw new UserError(`invalid topic query: ${error.message}`, 'invalid_query');
    throw error;
  }
  return query;
}

export interface TopicChanges {
  title?: string;
  description?: string | null;
  query?: string;
}

export async function updateTopic(db: Kysely<Database>, slug: string, changes: TopicChanges): Promise<TopicJson> {
  const set: Parameters<typeof queries.updateTopic>[2] = {};
  if (changes.title !== undefined) {
    if (!changes.title.trim()) throw new UserError('a topic needs a title', 'invalid_topic');
    set.title = changes.title.trim();
  }
  if (changes.description !== undefined) set.description = changes.description?.trim() || null;
  if (changes.query !== undefined) set.query = checkQuery(changes.query);
  const row = await queries.updateTopic(db, slug, set);
  if (!row) throw new UserError(`no topic "${slug}"`, 'not_found');
  return topicToJson(row);
}

export async function listTopics(db: Kysely<Database>): Promise<TopicJson[]> {
  return (await queries.listTopics(db)).map(topicToJson);
}

export async function removeTopic(db: Kysely<Database>, slug: string): Promise<void> {
  if (RESERVED_SLUGS.has(slug)) throw new UserError(`topic "${slug}" is built in and cannot be removed`, 'conflict');
  if (!(await queries.deleteTopic(db, slug))) throw new UserError(`no topic "${slug}"`, 'not_found');
}

/**
 * A topic and its parsed query; for the built-in `all` (every story) both are null. An unknown
 * slug is a UserError with code not_found.
 */
export async function resolveTopic(db: Kysely<Database>, slug: string): Promise<{ topic: TopicJson | null; query: TopicQuery | null }> {
  if (slug === 'all') return { topic: null, query: null };
  const row = await queries.getTopic(db, slug);
  if (!row) throw new UserError(`no topic "${slug}"`, 'not_found');
  return { topic: topicToJson(row), query: parseTopicQuery(row.query) };
}

/** The parsed query of a topic, or null for the built-in `all` (see resolveTopic). */
export async function topicQueryOf(db: Kysely<Database>, slug: string): Promise<TopicQuery | null> {
  return (await resolveTopic(db, slug)).query;
}

/** Parses a query for a preview; a mistake is a UserError (invalid_query) that says where. */
export function previewQuery(input: string | undefined): TopicQuery {
  const query = (input ?? '').trim();
  if (!query) throw new UserError('give the query to preview as ?query=', 'invalid_query');
  try {
    return parseTopicQuery(query);
  } catch (error) {
    if (error instanceof TopicQueryError) throw new UserError(`invalid topic query: ${error.message}`, 'invalid_query');
    throw error;
  }
}
