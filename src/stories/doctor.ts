// `feedloom doctor`: checks that every story's stored state agrees with its items — counts and
// time span equal a recount, no empty story is published, copies sit in their original's story
// and point at an original, every item is in a story, every story with headlines has a label —
// and with `fix`, repairs what it finds. src/stories keeps all of this true for what it writes;
// the doctor is for databases written before it did (or by hand).
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.js';
import * as stories from '../../db/queries/stories.js';
import * as drift from '../../db/queries/story-drift.js';
import type { Database } from '../../db/schema.js';
import { lockStories, settle } from './story-store.js';

export type StoryDrift = drift.StoryDrift;

export interface DoctorReport {
  /** What was found (before any repair). */
  found: StoryDrift;
  problems: number;
  /** With fix: what is left after repairing (empty when all went well). */
  left: StoryDrift | null;
}

const count = (d: StoryDrift) => Object.values(d).reduce((n, ids: string[]) => n + ids.length, 0);

/** One repair pass over what `found` lists. */
async function repair(db: Executor, found: StoryDrift): Promise<void> {
  const touched = new Set<string>(found.miscounted);
  const add = (ids: string[]) => ids.forEach((id) => touched.add(id));
  add(await drift.flattenCopyChains(db, found.chainedCopies));
  await drift.reopenOrphanedMerged(db, found.mergedWithItems);
  add(await drift.moveItemsOutOfMergedStories(db, found.mergedWithItems));
  add(found.mergedWithItems);
  add(await stories.joinOriginalStories(db, [...found.strayCopies, ...found.chainedCopies, ...found.homeless]));
  add(await stories.openSingletonStories(db, found.homeless));
  await settle(db, touched, [...touched, ...found.unlabelled]);
}

export async function checkStories(db: Kysely<Database>, options: { fix: boolean }): Promise<DoctorReport> {
  const found = await drift.findStoryDrift(db);
  const problems = count(found);
  if (!options.fix || problems === 0) return { found, problems, left: options.fix ? found : null };
  // Under the story lock, so that no poll stores a batch halfway through a repair; each pass takes
  // at most a thousand of each kind, and passes go on while they make progress.
  let left = found;
  for (;;) {
    const before = count(left);
    left = await db.transaction().execute(async (trx) => {
      await lockStories(trx);
      await repair(trx, await drift.findStoryDrift(trx));
      return drift.findStoryDrift(trx);
    });
    // Done, or stuck on what a repair cannot mend (it is reported).
    if (count(left) === 0 || count(left) >= before) break;
  }
  return { found, problems, left };
}
