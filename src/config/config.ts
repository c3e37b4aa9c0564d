// The service configuration: environment variables (the contract in docs/interface.md), optionally
// overridden by CLI flags, validated once at start-up so that a typo stops the process with one
// clear line instead of surfacing later as a confusing runtime error.
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { packageVersion } from '../version.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** postgres:// URL, or null for the embedded PGlite database in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  adminToken: string | null;
  pollCron: string;
  allowPrivateNetworks: boolean;
  userAgent: string;
  logLevel: LogLevel;
  retentionDays: number;
  dedupNearThreshold: number;
  dedupWindowHours: number;
  /** WebSub hub that published feeds name and that is pinged when a feed changes; null = none. */
  websubHub: string | null;
}

/** Names of the environment variables, as documented in the README and docs/interface.md. */
export type EnvName =
  | 'DATABASE_URL'
  | 'DATA_DIR'
  | 'HOST'
  | 'PORT'
  | 'PUBLIC_URL'
  | 'ADMIN_TOKEN'
  | 'POLL_CRON'
  | 'ALLOW_PRIVATE_NETWORKS'
  | 'USER_AGENT'
  | 'LOG_LEVEL'
  | 'RETENTION_DAYS'
  | 'DEDUP_NEAR_THRESHOLD'
  | 'DEDUP_WINDOW_HOURS'
  | 'WEBSUB_HUB';

export type ConfigOverrides = Partial<Record<EnvName, string | undefined>>;

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const booleanString = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const databaseUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.host !== '';
    } catch {
      return false;
    }
  }, 'expected a URL like postgres://user:password@host:5432/database');

const schema = z.object({
  DATABASE_URL: z.preprocess(emptyToUndefined, databaseUrl.optional()),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  HOST: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('127.0.0.1')),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'expected a port number' })
      .int('expected a whole number')
      .min(0, 'expected 0-65535')
      .max(65535, 'expected 0-65535')
      .default(8080),
  ),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'expected an http(s) URL')
      .optional(),
  ),
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().optional()),
  WEBSUB_HUB: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'expected the http(s) URL of a WebSub hub')
      .optional(),
  ),
  POLL_CRON: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => cron.validate(v), 'expected a cron expression such as "* * * * *"')
      .default('* * * * *'),
  ),
  ALLOW_PRIVATE_NETWORKS: z.preprocess(emptyToUndefined, booleanString.default(false)),
  USER_AGENT: z.preprocess(emptyToUndefined, z.string().trim().optional()),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.trim().toLowerCase()) : v),
    z.enum(LOG_LEVELS).default('info'),
  ),
  RETENTION_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'expected a number of days' }).int().min(1, 'expected at least 1 day').default(180),
  ),
  DEDUP_NEAR_THRESHOLD: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'expected a number between 0 and 1' }).gt(0, 'expected a number between 0 and 1').max(1, 'expected a number between 0 and 1').default(0.5),
  ),
  DEDUP_WINDOW_HOURS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'expected a number of hours' }).positive('expected a positive number of hours').default(72),
  ),
});

/**
 * Reads the configuration from `env` with `overrides` (CLI flags) taking precedence.
 * Throws a UserError naming the offending variable; never prints secrets back.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape) as EnvName[]) {
    input[key] = overrides[key] ?? env[key];
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration');
      return `${name}: ${issue.message}`;
    });
    throw new UserError(`invalid configuration: ${problems.join('; ')}`);
  }
  const c = parsed.data;
  const urlHost = c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST;
  const publicUrl = (c.PUBLIC_URL ?? `http://${urlHost}:${c.PORT}`).replace(/\/+$/, '');
  return {
    databaseUrl: c.DATABASE_URL ?? null,
    dataDir: path.resolve(c.DATA_DIR),
    host: c.HOST,
    port: c.PORT,
    publicUrl,
    adminToken: c.ADMIN_TOKEN ?? null,
    pollCron: c.POLL_CRON,
    allowPrivateNetworks: c.ALLOW_PRIVATE_NETWORKS,
    userAgent: c.USER_AGENT ?? `feedloom/${packageVersion} (+${publicUrl})`,
    logLevel: c.LOG_LEVEL,
    retentionDays: c.RETENTION_DAYS,
    dedupNearThreshold: c.DEDUP_NEAR_THRESHOLD,
    dedupWindowHours: c.DEDUP_WINDOW_HOURS,
    websubHub: c.WEBSUB_HUB ?? null,
  };
}

/** The database URL with its password masked, for logs and error messages. */
export function redactDatabaseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
