import type { Command } from 'commander';
import { startService, runUntilSignal } from '../service/service.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openDatabase } from '../../db/connect.js';
import type { ContextFactory } from './context.js';

export function registerServiceCommands(program: Command, context: ContextFactory): void {
  program
    .command('serve')
    .description('HTTP service and scheduled jobs')
    .option('--no-scheduler', 'HTTP only (for extra web replicas)')
    .action(async (options: { scheduler: boolean }) => {
      const { config, logger, jobs } = context(false);
      const service = await startService(config, logger, { http: true, scheduler: options.scheduler, ...(jobs ? { jobs } : {}) });
      await runUntilSignal(service, logger);
    });

  program
    .command('worker')
    .description('scheduled jobs only (extra poll workers on the same PostgreSQL)')
    .action(async () => {
      const { config, logger, jobs } = context(false);
      const service = await startService(config, logger, { http: false, scheduler: true, ...(jobs ? { jobs } : {}) });
      await runUntilSignal(service, logger);
    });

  program
    .command('migrate')
    .description('apply database migrations, exit')
    .action(async () => {
      const { config, logger, io } = context(true);
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command: 'feedloom migrate', logger });
      try {
        const { applied, current } = await migrateToLatest(handle.db);
        io.stdout(
          applied.length > 0
            ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n`
            : `database is up to date (${current.length} migration(s))\n`,
        );
      } finally {
        await handle.close();
      }
    });
}
