// Dedup cost per item as the store grows (issue 5: ≤ 0.2 ms per item at 100k stored items, and
// flat). Stored items get realistic, mostly distinct news texts with fingerprints, spread over 180
// days; then batches of 50 new items (a poll's worth: every fifth is wire copy of a story of the
// last three days, the rest new stories) go through one Deduplicator in a transaction each, as in a
// long-running worker. The same run at 1k stored items is the baseline. A backlog run (items from a
// month ago, as a new source's archive brings) measures the path for items older than the index.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import { textSignature } from '../src/dedup/minhash.js';
import { Deduplicator } from '../src/dedup/dedup.js';
import { createBenchDatabase, withCleanup } from './database.js';

const VOCABULARY = `alliance summit leaders defence spending brussels helsinki cave rescue divers football coach
  heatwave drought minister resigned brexit cabinet parliament vote election storm flood market shares bank
  rate inflation police court ruling hospital vaccine school strike union workers trade tariff border talks
  treaty president premier mayor council budget museum festival concert team final goal match injury weather
  rain harbour ship airline airport delay train station bridge road closure fire forest city village region`.split(/\s+/);

function text(seed: number): string {
  // A deterministic pseudo-random 60-word text: distinct per seed, realistic word frequencies.
  let x = seed * 2654435761 >>> 0;
  const words: string[] = [];
  for (let i = 0; i < 60; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    words.push(VOCABULARY[x % VOCABULARY.length]!);
  }
  return words.join(' ');
}

async function fill(handle: DatabaseHandle, sourceId: string, from: number, to: number, start: Date): Promise<void> {
  for (let i = from; i < to; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(to, i + 1000); j++) {
      rows.push({
        source_id: sourceId,
        guid: `stored-${j}`,
        canonical_url: `https://stored.example/${j}`,
        title: `Stored story ${j}`,
        summary: text(j),
        // Spread over 180 days, the default retention.
        published_at: storedAt(j, start),
        minhash: textSignature(null, text(j)),
      });
    }
    await handle.db.insertInto('items').values(rows).execute();
  }
}

/** Stored item j's publication time (see fill). */
const storedAt = (j: number, start: Date) => new Date(start.getTime() - (j % 180) * 86_400_000 - (j % 1440) * 60_000);

async function timeBatches(
  handle: DatabaseHandle,
  deduplicator: Deduplicator,
  sourceId: string,
  offset: number,
  now: Date,
  daysAgo: number,
  stored: number,
): Promise<{ ms: number; duplicates: number }> {
  let ms = 0;
  let duplicates = 0;
  for (let batch = 0; batch < 20; batch++) {
    const rows = Array.from({ length: 50 }, (_, k) => {
      const n = offset + batch * 50 + k;
      // Every fifth item is wire copy of a stored story published `daysAgo` (j % 180 is its age in
      // days, j < stored); the rest are new stories.
      const copyOf = k % 5 === 0 ? daysAgo + (n % 3) + 180 * ((n * 7) % Math.floor(stored / 180)) : null;
      const body = copyOf !== null ? `${text(copyOf)} reported` : text(10_000_000 + n);
      const at = new Date(now.getTime() - daysAgo * 86_400_000);
      return {
        source_id: sourceId,
        guid: `new-${n}`,
        canonical_url: `https://new.example/${n}`,
        title: `New story ${n}`,
        summary: body,
        published_at: copyOf !== null ? new Date(storedAt(copyOf, now).getTime() + 3_600_000) : at,
        minhash: textSignature(null, body),
      };
    });
    // As in the poll job, dedup runs inside the transaction that stores the items: what it adds is
    // its own queries, not the transaction.
    const result = await handle.db.transaction().execute(async (trx) => {
      // The store step hands dedup the rows it inserted, with the ids and times the insert returns.
      const returned = await trx.insertInto('items').values(rows).returning(['id', 'guid', 'published_at']).execute();
      const byGuid = new Map(rows.map((row) => [row.guid, row]));
      const inserted = returned.map(({ id, guid, published_at }) => ({
        id,
        guid,
        at: published_at!,
        source_id: sourceId,
        canonical_url: byGuid.get(guid)!.canonical_url,
        minhash: byGuid.get(guid)!.minhash,
      }));
      const started = performance.now();
      const found = await deduplicator.dedupNewItems(trx, inserted);
      ms += performance.now() - started;
      return found;
    });
    duplicates += result.duplicates;
  }
  return { ms, duplicates };
}

export function benchDedup(): Promise<Record<string, number>> {
  return withCleanup(async (cleanup) => {
    const handle = await createBenchDatabase(cleanup);
    const source = await handle.db.insertInto('sources').values({ url: 'https://stored.example/feed', host: 'stored.example' }).returning('id').executeTakeFirstOrThrow();
    const other = await handle.db.insertInto('sources').values({ url: 'https://new.example/feed', host: 'new.example' }).returning('id').executeTakeFirstOrThrow();
    const now = new Date();
    await fill(handle, source.id, 0, 1_000, now);
    await sql`analyze`.execute(handle.db);
    // Compiled code and prepared statements first, so that the 1k figure is not the warm-up; the
    // warm-up's items are removed again.
    await timeBatches(handle, new Deduplicator(), other.id, 300_000, now, 1, 1_000);
    await sql`delete from dedup_log where item_id in (select id from items where guid like 'new-300___')`.execute(handle.db);
    await sql`delete from items where guid like 'new-300___'`.execute(handle.db);
    const small = await timeBatches(handle, new Deduplicator(), other.id, 0, now, 1, 1_000);
    await fill(handle, source.id, 1_000, 100_000, now);
    // A store in steady state, not one in mid bulk load: otherwise autovacuum and the checkpoint
    // the load triggers run during the measurement.
    await sql`vacuum analyze`.execute(handle.db);
    await sql`checkpoint`.execute(handle.db);
    // A worker that has been running: its band index is loaded (timed apart as the cold start).
    const worker = new Deduplicator();
    const cold = await timeBatches(handle, worker, other.id, 100_000, now, 1, 100_000);
    const large = await timeBatches(handle, worker, other.id, 1_000, now, 1, 100_000);
    const backlog = await timeBatches(handle, worker, other.id, 200_000, now, 40, 100_000);
    return {
      msPerItemAt1k: Number((small.ms / 1000).toFixed(3)),
      msPerItemAt100k: Number((large.ms / 1000).toFixed(3)),
      ratio: Number((large.ms / small.ms).toFixed(2)),
      duplicatesFoundAt100k: large.duplicates,
      duplicatesExpected: 200,
      firstThousandItemsMsAt100k: Math.round(cold.ms),
      indexedItems: worker.indexedItems,
      backlogMsPerItemAt100k: Number((backlog.ms / 1000).toFixed(3)),
      backlogDuplicatesFound: backlog.duplicates,
    };
  });
}
