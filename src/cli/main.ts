// The `feedloom` command line (docs/interface.md). Parsing is commander's; each command opens what it
// needs, does one thing and closes. Exit status: 0 success, 1 handled error (one line on stderr),
// 2 bad usage.
import { createInterface } from 'node:readline';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, type Config, type ConfigOverrides, type LogLevel } from '../config/config.js';
import { UsageError, UserError, messageOf } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { packageVersion } from '../version.js';
import { registerClusterCommands } from './cluster-commands.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerEvalCommand } from './eval-command.js';
import { registerInspectCommand } from './inspect-command.js';
import { registerPollCommand } from './poll-command.js';
import { registerServiceCommands } from './service-commands.js';
import { registerSourceCommands } from './source-commands.js';
import { registerTopicCommands } from './topic-commands.js';
import type { JobFactory } from '../service/scheduler.js';
import type { CliContext, CliIo } from './context.js';

interface GlobalOptions {
  databaseUrl?: string;
  dataDir?: string;
  host?: string;
  port?: string;
  publicUrl?: string;
  logLevel?: string;
}

function buildProgram(io: CliIo, env: NodeJS.ProcessEnv, jobs: JobFactory | undefined): Command {
  const program = new Command('feedloom')
    .description('Self-hosted news story aggregator')
    .version(packageVersion, '-v, --version')
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL); unset: embedded database'))
    .addOption(new Option('--data-dir <dir>', 'embedded database directory (env DATA_DIR, default ./data)'))
    .addOption(new Option('--host <host>', 'HTTP listen address (env HOST, default 127.0.0.1)'))
    .addOption(new Option('--port <port>', 'HTTP port (env PORT, default 8080)'))
    .addOption(new Option('--public-url <url>', 'absolute base URL for links (env PUBLIC_URL)'))
    .addOption(new Option('--log-level <level>', 'log level (env LOG_LEVEL, default info)'))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    });

  const context = (oneShot: boolean): CliContext => {
    const globals = program.opts<GlobalOptions>();
    const overrides: ConfigOverrides = {
      DATABASE_URL: globals.databaseUrl,
      DATA_DIR: globals.dataDir,
      HOST: globals.host,
      PORT: globals.port,
      PUBLIC_URL: globals.publicUrl,
      LOG_LEVEL: globals.logLevel,
    };
    const config: Config = loadConfig(env, overrides);
    // One-shot commands keep stderr quiet unless a level was asked for explicitly.
    const explicitLevel = globals.logLevel ?? env.LOG_LEVEL;
    const level: LogLevel = oneShot && !explicitLevel ? 'warn' : config.logLevel;
    const logger = createLogger(level, io === defaultIo ? (oneShot ? 'stderr' : 'stdout') : { write: (text) => (oneShot ? io.stderr(text) : io.stdout(text)) });
    return { config, logger, io, ...(jobs ? { jobs } : {}) };
  };

  registerServiceCommands(program, context);
  registerSourceCommands(program, context);
  registerTopicCommands(program, context);
  registerInspectCommand(program, context);
  registerPollCommand(program, context);
  registerClusterCommands(program, context);
  registerEvalCommand(program, context);
  registerDoctorCommand(program, context);
  return program;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdinLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity }),
};

/**
 * Runs the CLI and returns the exit status. `io` and `env` are injectable for tests. `jobs` are
 * the scheduled jobs `serve` and `worker` run (jobs/index.ts, passed by the entry point: src/
 * never imports jobs/).
 */
export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env, jobs?: JobFactory): Promise<number> {
  const program = buildProgram(io, env, jobs);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`feedloom: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UserError) {
      io.stderr(`feedloom: ${error.message}\n`);
      return 1;
    }
    io.stderr(`feedloom: unexpected error: ${messageOf(error)}\n${error instanceof Error ? (error.stack ?? '') : ''}\n`);
    return 1;
  }
}
