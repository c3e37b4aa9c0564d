// What every query takes: the database, or a transaction on it, so that one function serves both
// a standalone call and a step of a caller's transaction.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;
