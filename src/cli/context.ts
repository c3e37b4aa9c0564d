import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Config } from '../config/config.js';
import { noticeOtherProcesses } from '../publish/story-changes.js';
import { openMigratedDatabase } from '../service/runtime.js';
import type { JobFactory } from '../service/scheduler.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of stdin (`sources import -`). */
  readStdin(): Promise<string>;
  /** Stdin line by line as it arrives (`inspect --batch`); without it, the lines of readStdin(). */
  stdinLines?(): AsyncIterable<string>;
}

export interface CliContext {
  config: Config;
  logger: Logger;
  io: CliIo;
  /** The scheduled jobs, for `serve` and `worker`. */
  jobs?: JobFactory;
}

/** Builds the context for a command; `oneShot` commands log to stderr at warn level by default. */
export type ContextFactory = (oneShot: boolean) => CliContext;

/**
 * Opens the database for one command and always closes it, also on error. On PostgreSQL a
 * running server may be serving feeds from memory: after the command it is told to re-check them
 * (one NOTIFY; the embedded database cannot be open in a server and a command at once).
 */
export async function withDatabase<T>(
  context: CliContext,
  command: string,
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = await openMigratedDatabase(context.config, command, context.logger);
  try {
    const result = await work(handle);
    if (handle.engine === 'postgres') await noticeOtherProcesses(handle.db);
    return result;
  } finally {
    await handle.close();
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table for humans; `--json` is the stable machine format. */
export function printTable(io: CliIo, headers: string[], rows: Array<Array<string | number | null>>): void {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  for (const row of cells) {
    const line = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
    io.stdout(`${line.trimEnd()}\n`);
  }
}
