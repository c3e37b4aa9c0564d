import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

export type { Logger };

/**
 * JSON logs (pino). The service logs to stdout as services do; one-shot CLI commands log to
 * stderr so that their stdout stays machine-readable (`--json`, OPML export).
 */
export function createLogger(level: LogLevel, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level, base: { service: 'feedloom' } }, pino.destination({ fd: destination === 'stdout' ? 1 : 2, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
