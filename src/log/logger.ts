import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

export type { Logger };

/**
 * JSON logs (pino). The service logs to stdout as services do; one-shot CLI commands log to
 * stderr so that their stdout stays machine-readable (`--json`, OPML export). A command run
 * in-process with its output captured (tests) logs where that output goes.
 */
export function createLogger(level: LogLevel, destination: 'stdout' | 'stderr' | { write(text: string): void } = 'stdout'): Logger {
  const stream = typeof destination === 'object' ? destination : pino.destination({ fd: destination === 'stdout' ? 1 : 2, sync: true });
  return pino({ level, base: { service: 'feedloom' } }, stream);
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
