import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { addUserDirect, ensureDefaultRoles } from '../modules/accounts/bootstrap.ts';
import { DEMO_PASSWORD, demoUsers, isEmptyDeployment, seedDemo } from '../modules/demo/seed-demo.ts';
import { verifyAuditChain } from '../platform/audit/audit.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { backupDatabase, restoreDatabase } from '../platform/db/backup.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { startHomeward } from '../start.ts';
import { addIdentityCommands } from './identity.ts';
import { progressBar } from './progress.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

async function withDatabase<T>(
  work: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

export function buildCli(): Command {
  const program = new Command('homeward')
    .description(
      'Homeward: protection, repatriation, prosecution, rehabilitation and reintegration case management',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nDatabase: PGlite in HOMEWARD_DATA_DIR (default ./data), or PostgreSQL 15+ when DATABASE_URL is set.',
    );

  program
    .command('serve')
    .description('Run the server and web app (port from PORT, default 8080)')
    .option('--demo', 'demo mode: seed an empty database with synthetic persons and demo users')
    .option('--persons <n>', 'persons in the demo population', positiveInt, 2000)
    .action(async (options: { demo?: boolean; persons: number }) => {
      const demo = options.demo === true || ['1', 'true'].includes(process.env.HOMEWARD_DEMO ?? '');
      let bar: ReturnType<typeof progressBar> | undefined;
      const running = await startHomeward({
        ...(demo ? { demo: true } : {}),
        seedPersons: options.persons,
        onSeedProgress: (done, total) => {
          bar ??= progressBar('Seeding synthetic demo population', total);
          bar.update(done);
          if (done >= total) bar.stop();
        },
        onReindex: (phase) =>
          process.stdout.write(
            phase === 'start'
              ? 'The name engine changed since these name keys were made: rebuilding them…\n'
              : 'Name keys rebuilt.\n',
          ),
      });
      const shown = running.url.replace('127.0.0.1', 'localhost');
      process.stdout.write(`\nHomeward is ready: ${shown}  (API docs: ${shown}/api/docs)\n`);
      if (running.config.demo) {
        process.stdout.write(
          `Demo mode — synthetic data only. Sign in as one of: ${demoUsers.map((u) => u.username).join(', ')}\n` +
            `Demo password for every demo user: ${DEMO_PASSWORD}\n\n`,
        );
      }
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise(() => {});
    });

  program
    .command('migrate')
    .description('Bring the database schema up to date')
    .action(async () => {
      await withDatabase(async (handle) => {
        const result = await migrate(handle, {
          onApplied: (m) => process.stdout.write(`applied ${m.version}_${m.name}\n`),
        });
        await ensureDefaultRoles(handle.db);
        process.stdout.write(`schema version ${result.version} (${result.applied.length} applied)\n`);
      });
    });

  program
    .command('seed')
    .description('Fill an empty database with synthetic data')
    .requiredOption('--demo', 'the demo agencies, one user per role, and a synthetic population')
    .option('--seed <n>', 'random seed: the same seed gives the same population', positiveInt, 1)
    .option('--persons <n>', 'number of persons', positiveInt, 2000)
    .action(async (options: { seed: number; persons: number }) => {
      await withDatabase(async (handle) => {
        await migrate(handle);
        if (!(await isEmptyDeployment(handle.db))) {
          throw new CommanderError(
            1,
            'homeward.not_empty',
            'The database already holds users: seed only an empty one',
          );
        }
        const bar = progressBar('Seeding', options.persons);
        const started = performance.now();
        const result = await seedDemo(handle.db, {
          seed: options.seed,
          persons: options.persons,
          onProgress: (done) => bar.update(done),
        });
        bar.stop();
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `seeded ${result.persons} persons, ${result.cases} cases, ${result.users} users in ${seconds.toFixed(1)} s ` +
            `(${Math.round(result.persons / seconds)} persons/s)\nDemo password: ${DEMO_PASSWORD}\n`,
        );
      });
    });

  const user = program.command('user').description('Manage user accounts');
  user
    .command('add')
    .description('Create a user (the password is read from HOMEWARD_NEW_PASSWORD or standard input)')
    .requiredOption('--username <name>')
    .requiredOption('--display-name <name>')
    .requiredOption('--agency <code>', 'agency code, created if missing with --agency-name and --agency-kind')
    .option('--agency-name <name>')
    .option('--agency-kind <kind>', 'e.g. social_services, security, ngo', 'other')
    .requiredOption('--role <code...>', 'one or more role codes (see the admin API or docs/SECURITY.md)')
    .action(
      async (options: {
        username: string;
        displayName: string;
        agency: string;
        agencyName?: string;
        agencyKind: string;
        role: string[];
      }) => {
        const password = process.env.HOMEWARD_NEW_PASSWORD ?? readFileSync(0, 'utf8').trim();
        await withDatabase(async (handle) => {
          await migrate(handle);
          await ensureDefaultRoles(handle.db);
          let agency = await handle.db
            .selectFrom('agencies')
            .select('id')
            .where('code', '=', options.agency)
            .executeTakeFirst();
          if (!agency) {
            if (!options.agencyName)
              throw new CommanderError(
                1,
                'homeward.agency',
                `No agency ${options.agency}: add --agency-name to create it`,
              );
            agency = await handle.db
              .insertInto('agencies')
              .values({ code: options.agency, name: options.agencyName, kind: options.agencyKind })
              .returning('id')
              .executeTakeFirstOrThrow();
          }
          const id = await addUserDirect(handle.db, {
            username: options.username,
            displayName: options.displayName,
            password,
            agencyId: agency.id,
            roles: options.role,
          });
          process.stdout.write(`created user ${options.username} (${id})\n`);
        });
      },
    );

  program
    .command('audit')
    .description('The audit trail')
    .command('verify')
    .description('Check the hash chain of the whole audit trail; names the first bad row')
    .action(async () => {
      await withDatabase(async (handle) => {
        const total = Number(
          (
            await handle.db
              .selectFrom('audit_events')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst()
          )?.n ?? 0,
        );
        const bar = progressBar('Verifying audit trail', total);
        const result = await verifyAuditChain(handle.db, { onProgress: (n) => bar.update(n) });
        bar.stop();
        if (result.ok) {
          process.stdout.write(`audit trail intact: ${result.checked} entries verified\n`);
        } else {
          process.stdout.write(
            `AUDIT TRAIL BROKEN at seq ${result.firstBad?.seq} (${result.firstBad?.reason}); ${result.checked} entries before it are intact\n`,
          );
          throw new CommanderError(3, 'homeward.audit_broken', 'audit verification failed');
        }
      });
    });

  program
    .command('backup <file>')
    .description('Write a consistent, checksummed dump of the whole database to a file')
    .action(async (file: string) => {
      await withDatabase(async (handle) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        const summary = await backupDatabase(handle, file, {
          onProgress: (done, total) => {
            bar ??= progressBar('Backing up', total);
            bar.update(done);
          },
        });
        bar?.stop();
        process.stdout.write(
          `backup written: ${file} (${summary.rows} rows in ${summary.tables} tables, schema ${summary.schemaVersion})\n`,
        );
      });
    });

  program
    .command('restore <file>')
    .description('Restore a backup into an empty database (checked whole before anything changes)')
    .action(async (file: string) => {
      await withDatabase(async (handle) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        const summary = await restoreDatabase(handle, file, {
          onProgress: (done, total) => {
            bar ??= progressBar('Restoring', total);
            bar.update(done);
          },
        });
        bar?.stop();
        process.stdout.write(`restored ${summary.rows} rows in ${summary.tables} tables\n`);
      });
    });

  addIdentityCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli().exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code.startsWith('homeward.')) process.stderr.write(`homeward: ${error.message}\n`);
      return error.exitCode || 1;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`homeward: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`homeward: ${(error as Error).message}\n`);
    return 1;
  }
}
