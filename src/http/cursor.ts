// Opaque pagination cursors: clients pass back what we gave them and must not build their own.
import { HttpError } from './errors.js';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, isValid: (value: unknown) => value is T): T | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'bad_cursor', 'invalid cursor; use nextCursor from a previous page');
}

export function parseLimit(value: unknown, fallback: number, max = 500): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new HttpError(400, 'bad_limit', `limit must be a whole number from 1 to ${max}`);
  }
  return n;
}
