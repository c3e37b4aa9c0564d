// Query-string parameters of the public list routes. A bad value is a 400 naming the parameter
// (code bad_<name>), never a silently ignored filter.
import { parseIsoTime, type Keyset } from '../stories/stories.js';
import { decodeCursor } from './cursor.js';
import { HttpError } from './errors.js';

export type Query = Record<string, string | string[] | undefined>;

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const bad = (name: string, message: string): HttpError => new HttpError(400, `bad_${snake(name)}`, message);

/** The parameter's one value; absent or empty is undefined; given twice is a 400. */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw bad(name, `give ${name} once`);
  return value === undefined || value === '' ? undefined : value;
}

export function timeParam(query: Query, name: string): Date | null {
  const value = single(query, name);
  if (value === undefined) return null;
  const time = parseIsoTime(value);
  if (!time) throw bad(name, `${name} must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z`);
  return time;
}

const MAX_INT = 2_147_483_647;

/** A whole number of at least 1 (and within PostgreSQL's integer). */
export function countParam(query: Query, name: string): number | null {
  const value = single(query, name);
  if (value === undefined) return null;
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_INT)) throw bad(name, `${name} must be a whole number of at least 1`);
  return n;
}

/** A numeric id (sources, clusters). */
export function idParam(query: Query, name: string): string | null {
  const value = single(query, name);
  if (value === undefined) return null;
  if (!/^\d{1,18}$/.test(value)) throw bad(name, `${name} must be a numeric id`);
  return value;
}

/** Full-text search text (websearch syntax: words, "phrases", OR, -not). */
export function searchParam(query: Query, name = 'q'): string | null {
  const value = single(query, name)?.trim();
  if (!value) return null;
  if (value.length > 500) throw bad(name, `${name} is limited to 500 characters`);
  if (value.includes('\u0000')) throw bad(name, `${name} must not contain NUL characters`);
  return value;
}

const KEYSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function isKeysetTime(value: unknown): value is string {
  if (typeof value !== 'string' || !KEYSET_TIME.test(value)) return false;
  // A real calendar time (no 30 February), so the database never sees a bad one.
  const time = new Date(`${value.slice(0, 23)}Z`);
  return !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 23) === value.slice(0, 23);
}

function isKeyset(value: unknown): value is [string | null, string] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    (value[0] === null || isKeysetTime(value[0])) &&
    typeof value[1] === 'string' &&
    /^\d{1,18}$/.test(value[1])
  );
}

/** The keyset of an opaque cursor; `nullable` allows a position among rows without a time. */
export function cursorParam(query: Query, nullable: boolean): Keyset | null {
  const value = decodeCursor(single(query, 'cursor'), (v): v is [string | null, string] => isKeyset(v) && (nullable || v[0] !== null));
  return value ? { at: value[0], id: value[1] } : null;
}

export function keysetToCursor(keyset: Keyset): [string | null, string] {
  return [keyset.at, keyset.id];
}
