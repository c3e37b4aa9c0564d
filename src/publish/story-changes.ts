// Announcements that stored stories changed, so that published feeds are checked against the
// database when — and only when — something changed, instead of on every request.
//
// Inside one process, whoever commits a change (the poller, retention, an admin request) calls
// announce() after the commit. Other processes on the same PostgreSQL (a separate `feedloom worker`,
// a CLI command, a second server) are reached with NOTIFY, sent inside the changing transaction so
// that PostgreSQL delivers it exactly when the change commits, and never for a rollback; each server
// LISTENs and turns notices into announcements. The embedded database belongs to one process, so
// there announce() alone is enough.
//
// Notices can be lost while the listening connection is down. Then `complete` is false and the
// feed cache checks the database on every request until the listener is back.
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Executor } from '../../db/executor.js';

/** The NOTIFY channel. */
export const STORY_CHANGES_CHANNEL = 'feedloom_story_changes';

type Listener = () => void;

export class StoryChanges {
  private readonly listeners = new Set<Listener>();
  /** False while changes made by other processes may go unannounced. */
  complete = true;

  /** Tells this process's listeners that committed data changed. */
  announce(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Queues a notice for the other processes on this database; PostgreSQL delivers it when the
 * transaction `db` belongs to commits (at once outside a transaction).
 */
export async function noticeOtherProcesses(db: Executor): Promise<void> {
  await sql`/* prepared:story-notice */ select pg_notify(${STORY_CHANGES_CHANNEL}, '')`.execute(db);
}

export interface ChangeListener {
  close(): Promise<void>;
}

const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Listens for other processes' notices on PostgreSQL, on a connection of its own, and announces
 * them. A lost connection is re-opened with growing pauses; until then `changes.complete` is false,
 * and once it is back one announcement covers whatever was missed.
 */
export function listenForStoryChanges(databaseUrl: string, changes: StoryChanges, logger: Logger): ChangeListener {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'feedloom listen' });
    next.on('notification', () => changes.announce());
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, null));
    try {
      await next.connect();
      await next.query(`listen ${STORY_CHANGES_CHANNEL}`);
    } catch (error) {
      lost(next, error);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    if (failures > 0) logger.info('listening for story changes again');
    failures = 0;
    changes.complete = true;
    // Whatever changed while no one listened.
    changes.announce();
  };

  const lost = (which: pg.Client, error: unknown) => {
    if (closed || (client !== null && client !== which)) return;
    client = null;
    changes.complete = false;
    void which.end().catch(() => undefined);
    if (timer) return;
    const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
    failures += 1;
    logger.warn({ err: error ?? undefined, retryInMs: delay }, 'lost the story-change listener; feeds are checked on every request until it is back');
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
  };

  changes.complete = false;
  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}
