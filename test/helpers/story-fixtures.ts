// Stories written straight into the database (no polling), for the story API and CLI tests.
// In a freshly reset database the ids are predictable (sequences restart at 1):
//
//   cluster  time (last published)       items (id: source, note)
//   1        2024-05-01 12:30             1 (s1, new story), 2 (s2, similar), 3 (s3, copy of 1)
//   2        merged into 1 (13:00)        –
//   3        09:00 (status closed)        4 (s2)
//   4        08:00                        5 (s1, "elections")
//   5        07:00:00.123456              6 (s3)
//   6        07:00:00.123200              7 (s1)
//   7        06:00                        8 (s2)
//   8        06:00                        9 (s3, no published time: fetched 06:00)
//   9        no times                     – (empty: never listed)
//   10       2024-04-20 12:00             10 (s1)
//
// Newest first the clusters are 1, 3, 4, 5, 6, 8, 7, 10 and the items 2, 3, 1, 4, 5, 6, 7, 9, 8, 10.
import type { Kysely } from 'kysely';
import type { Database, NewItem } from '../../db/schema.js';

export const CLUSTER_ORDER = ['1', '3', '4', '5', '6', '8', '7', '10'];
export const ITEM_ORDER = ['2', '3', '1', '4', '5', '6', '7', '9', '8', '10'];

interface ClusterSpec {
  label: string | null;
  first: string | null;
  last: string | null;
  items?: number;
  sources?: number;
  status?: 'open' | 'closed' | 'merged';
  mergedInto?: string;
  terms?: string[];
}

export async function insertCluster(db: Kysely<Database>, spec: ClusterSpec): Promise<string> {
  const row = await db
    .insertInto('clusters')
    .values({
      label: spec.label,
      terms: JSON.stringify(spec.terms ?? []),
      status: spec.status ?? 'open',
      merged_into: spec.mergedInto ?? null,
      created_at: '2024-05-01T00:00:00Z',
      updated_at: '2024-05-01T00:00:00Z',
      first_published_at: spec.first,
      last_published_at: spec.last,
      item_count: spec.items ?? 0,
      source_count: spec.sources ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertItem(db: Kysely<Database>, item: Partial<NewItem> & Pick<NewItem, 'source_id' | 'guid'>): Promise<string> {
  const row = await db
    .insertInto('items')
    .values({ fetched_at: item.published_at ?? '2024-05-01T00:00:00Z', lang: 'en', ...item })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const day = (time: string) => `2024-05-01T${time}Z`;

export async function seedStories(db: Kysely<Database>): Promise<void> {
  const sources = await db
    .insertInto('sources')
    .values([
      { url: 'https://courier.example/rss', host: 'courier.example', title: 'Northsea Courier' },
      { url: 'https://wire.example/feed', host: 'wire.example', title: 'Baltic Wire' },
      { url: 'https://harbour.example/atom', host: 'harbour.example', title: null },
    ])
    .returning('id')
    .execute();
  const [s1, s2, s3] = sources.map((s) => s.id) as [string, string, string];

  const a = await insertCluster(db, {
    label: 'Putin and Biden meet in Helsinki',
    first: day('10:00:00'),
    last: day('12:30:00'),
    items: 3,
    sources: 3,
    terms: ['e:helsinki', 'putin', 'summit'],
  });
  await insertCluster(db, { label: 'Leaders gather in Finland', first: day('13:00:00'), last: day('13:00:00'), status: 'merged', mergedInto: a });
  const single = async (label: string, time: string | null, status: 'open' | 'closed' = 'open') =>
    insertCluster(db, { label, first: time, last: time, items: time ? 1 : 0, sources: time ? 1 : 0, status });
  const c3 = await single('Harbour cranes idle during strike', day('09:00:00'), 'closed');
  const c4 = await single('Estonia calls early vote', day('08:00:00'));
  const c5 = await single('Ferry timetable changes', day('07:00:00.123456'));
  const c6 = await single('New pier opens', day('07:00:00.1232'));
  const c7 = await single('Wind farm approved', day('06:00:00'));
  const c8 = await single('Lighthouse restored', day('06:00:00'));
  await single('An undated story', null);
  const c10 = await single('Spring storm damage', '2024-04-20T12:00:00Z');

  const a1 = await insertItem(db, {
    source_id: s1,
    guid: 'courier-1',
    url: 'https://courier.example/world/helsinki',
    title: 'Putin and Biden to meet in Helsinki',
    summary: '<p>The two leaders will hold a summit.</p>',
    author: 'A. Writer',
    published_at: day('10:00:00'),
    cluster_id: a,
    cluster_reason: JSON.stringify({ reason: 'new story' }),
  });
  await insertItem(db, {
    source_id: s2,
    guid: 'wire-1',
    url: 'https://wire.example/2024/helsinki-summit',
    title: 'Helsinki summit: leaders meet',
    published_at: day('12:30:00'),
    cluster_id: a,
    cluster_similarity: 0.41,
    cluster_reason: JSON.stringify({ reason: 'similar', similarity: 0.41, sharedTerms: ['e:helsinki', 'putin'], timeGapHours: 2.5 }),
  });
  await insertItem(db, {
    source_id: s3,
    guid: 'harbour-1',
    url: 'https://harbour.example/news/helsinki',
    title: 'Putin and Biden to meet in Helsinki',
    published_at: day('11:00:00'),
    cluster_id: a,
    duplicate_of: a1,
    duplicate_reason: 'near',
    duplicate_similarity: 0.93,
  });
  await insertItem(db, { source_id: s2, guid: 'wire-2', url: 'https://wire.example/cranes', title: 'Harbour cranes idle during strike', published_at: day('09:00:00'), cluster_id: c3 });
  await insertItem(db, {
    source_id: s1,
    guid: 'courier-2',
    url: 'https://courier.example/estonia',
    title: 'Estonia calls early vote',
    summary: 'Parliament dissolved; elections set for June.',
    published_at: day('08:00:00'),
    cluster_id: c4,
  });
  await insertItem(db, { source_id: s3, guid: 'harbour-2', url: null, title: 'Ferry timetable changes', published_at: day('07:00:00.123456'), cluster_id: c5 });
  await insertItem(db, { source_id: s1, guid: 'courier-3', url: 'https://courier.example/pier', title: 'New pier opens', published_at: day('07:00:00.1232'), cluster_id: c6 });
  await insertItem(db, { source_id: s2, guid: 'wire-3', url: 'https://wire.example/wind', title: 'Wind farm approved', published_at: day('06:00:00'), cluster_id: c7 });
  await insertItem(db, {
    source_id: s3,
    guid: 'harbour-3',
    url: 'https://harbour.example/lighthouse',
    title: null,
    summary: 'The old lighthouse shines again.',
    published_at: null,
    fetched_at: day('06:00:00'),
    cluster_id: c8,
  });
  await insertItem(db, { source_id: s1, guid: 'courier-4', url: 'https://courier.example/storm', title: 'Spring storm damage', published_at: '2024-04-20T12:00:00Z', cluster_id: c10 });
}
