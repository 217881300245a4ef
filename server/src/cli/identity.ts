import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  CsvInputError,
  type CsvReadResult,
  describeProblem,
  readCsvRecords,
  writeCsv,
} from '../modules/identity/csv-input.ts';
import { reindexAllNameKeys } from '../modules/identity/keys-repository.ts';
import { DEFAULT_LINK_THRESHOLD, linkAgainstRegistry, linkLists } from '../modules/identity/linkage.ts';
import { importWatchlist, screenRecords, screenRegistry } from '../modules/identity/watchlist.ts';
import type { AuditContext } from '../platform/audit/audit.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { AppError } from '../platform/errors.ts';
import { progressBar } from './progress.ts';

type Handle = Awaited<ReturnType<typeof openDatabase>>;

/** The CLI is the operator's tool on the server: audited with no user, as 'cli'. */
const CLI_AUDIT: AuditContext = { actorUserId: null, actorAgencyId: null, clientIp: null, requestId: 'cli' };

async function withMigratedDatabase<T>(work: (handle: Handle) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(handle);
    return await work(handle);
  } finally {
    await handle.close();
  }
}

function score(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

const onErrorOption = () =>
  new Option('--on-error <mode>', 'a row that cannot be read: stop the run, or skip it (reported)')
    .choices(['stop', 'skip'])
    .default('stop');
const badDatesOption = () =>
  new Option(
    '--bad-dates <mode>',
    'an impossible date (00.00.1990, 1990-13-01): use its year, or refuse the row',
  )
    .choices(['year', 'refuse'])
    .default('year');

interface ListOptions {
  onError: 'stop' | 'skip';
  badDates: 'year' | 'refuse';
  delimiter: string;
}

/** Reads a CSV list, reports every problem (row and column, never values) on stderr. */
function readList(file: string, options: ListOptions): CsvReadResult {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch {
    throw new CommanderError(2, 'homeward.input', `cannot read ${file}`);
  }
  try {
    const result = readCsvRecords(buffer, {
      onError: options.onError,
      badDates: options.badDates,
      delimiter: options.delimiter,
    });
    for (const p of result.problems) process.stderr.write(`${file}: ${describeProblem(p)}\n`);
    process.stderr.write(
      `${file}: ${result.rows} rows, ${result.records.length} read, ${result.skipped} skipped` +
        `${result.skipped > 0 ? ' (see the errors above)' : ''}\n`,
    );
    return result;
  } catch (error) {
    if (error instanceof CsvInputError) {
      for (const p of error.problems) process.stderr.write(`${file}: ${describeProblem(p)}\n`);
      throw new CommanderError(3, 'homeward.input', `${file}: ${error.message} — nothing was written`);
    }
    throw error;
  }
}

function appErrorToCli(error: unknown): never {
  if (error instanceof AppError) {
    const where =
      error.details?.line === undefined
        ? ''
        : ` at line ${error.details.line}, column ${error.details.column}`;
    const path = error.details?.path === undefined ? '' : ` (${error.details.path})`;
    throw new CommanderError(3, 'homeward.input', `${error.code}: ${error.message}${where}${path}`);
  }
  throw error;
}

/** `homeward identity …`, `homeward link`, `homeward watchlist …`, `homeward screen`. */
export function addIdentityCommands(program: Command): void {
  const identity = program.command('identity').description('Cross-script name matching and its index');
  identity
    .command('reindex')
    .description("Recompute every person's name keys (existing databases, or after the key scheme changes)")
    .action(async () => {
      await withMigratedDatabase(async (handle) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        const started = performance.now();
        const result = await reindexAllNameKeys(handle.db, {
          onProgress: (done, total) => {
            bar ??= progressBar('Reindexing name keys', total);
            bar.update(done);
          },
        });
        bar?.stop();
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `reindexed ${result.persons} persons: ${result.keys} keys in ${seconds.toFixed(1)} s\n`,
        );
      });
    });

  program
    .command('link <left> [right]')
    .description(
      'Link two CSV lists of persons, or one list against the registry (--against registry); writes ' +
        'left_id,right_id,score,decision,explanation',
    )
    .requiredOption('--out <file>', 'the pairs CSV to write')
    .option('--against <what>', "'registry': link the list against the persons in the database")
    .option('--threshold <t>', 'lowest score written, 0..1', score, DEFAULT_LINK_THRESHOLD)
    .option('--delimiter <c>', 'field delimiter of the input files', ',')
    .addOption(onErrorOption())
    .addOption(badDatesOption())
    .action(
      async (
        leftFile: string,
        rightFile: string | undefined,
        options: ListOptions & { out: string; against?: string; threshold: number },
      ) => {
        if (options.against !== undefined && options.against !== 'registry') {
          throw new CommanderError(2, 'homeward.usage', "--against takes only 'registry'");
        }
        if ((rightFile === undefined) === (options.against === undefined)) {
          throw new CommanderError(
            2,
            'homeward.usage',
            'give a second file, or --against registry (not both)',
          );
        }
        const left = readList(leftFile, options);
        const started = performance.now();
        let pairs: Awaited<ReturnType<typeof linkAgainstRegistry>>;
        if (rightFile !== undefined) {
          const right = readList(rightFile, options);
          const bar = progressBar('Linking', left.records.length);
          pairs = await linkLists(left.records, right.records, {
            threshold: options.threshold,
            onProgress: (done) => bar.update(done),
          });
          bar.stop();
        } else {
          pairs = await withMigratedDatabase(async (handle) => {
            const bar = progressBar('Linking against the registry', left.records.length);
            const result = await linkAgainstRegistry(handle.db, 'system', left.records, {
              threshold: options.threshold,
              onProgress: (done) => bar.update(done),
            });
            bar.stop();
            await handle.db.transaction().execute((trx) =>
              recordAudit(trx, CLI_AUDIT, {
                action: 'identity.link_registry',
                details: {
                  via: 'cli',
                  left: left.records.length,
                  pairs: result.length,
                  threshold: options.threshold,
                },
              }),
            );
            return result;
          });
        }
        writeFileSync(
          options.out,
          writeCsv(
            ['left_id', 'right_id', 'score', 'decision', 'explanation'],
            pairs.map((p) => [p.leftId, p.rightId, p.score.toFixed(3), p.decision, p.explanation]),
          ),
        );
        const seconds = (performance.now() - started) / 1000;
        const matches = pairs.filter((p) => p.decision === 'match').length;
        process.stdout.write(
          `${pairs.length} pairs (${matches} match, ${pairs.length - matches} possible) written to ${options.out} ` +
            `in ${seconds.toFixed(1)} s\n`,
        );
      },
    );

  const watchlist = program.command('watchlist').description('The UN Security Council Consolidated List');
  watchlist
    .command('import <file>')
    .description('Import a Consolidated List XML file as a new version, then screen everyone against it')
    .option('--no-rescreen', 'do not screen the registry against the new version')
    .action(async (file: string, options: { rescreen: boolean }) => {
      let xml: Buffer;
      try {
        xml = readFileSync(file);
      } catch {
        throw new CommanderError(2, 'homeward.input', `cannot read ${file}`);
      }
      await withMigratedDatabase(async (handle) => {
        const result = await importWatchlist(handle.db, xml, CLI_AUDIT).catch(appErrorToCli);
        if (result.alreadyImported) {
          process.stdout.write(`already imported as version ${result.versionId}: nothing changed\n`);
          return;
        }
        process.stdout.write(
          `imported version ${result.versionId}: ${result.individuals} individuals, ${result.entities} entities; ` +
            `since the previous version ${result.diff.added.length} added, ${result.diff.removed.length} removed, ` +
            `${result.diff.changed.length} changed\n`,
        );
        if (!options.rescreen) return;
        let bar: ReturnType<typeof progressBar> | undefined;
        const run = await screenRegistry(handle.db, {
          persons: 'all',
          trigger: 'list_version',
          audit: CLI_AUDIT,
          versionId: result.versionId,
          onProgress: (done, total) => {
            bar ??= progressBar('Screening the registry', total);
            bar.update(done);
          },
        });
        bar?.stop();
        process.stdout.write(
          `screened ${run.personsScreened} persons: ${run.hits} new hits for review, ${run.suppressed} known false ` +
            `positives not raised again, ${run.alreadyOpen} already under review\n`,
        );
      });
    });

  program
    .command('screen <people>')
    .description('Screen a CSV list of persons against the latest imported Consolidated List version')
    .requiredOption('--out <file>', 'the results CSV to write')
    .option('--threshold <t>', 'lowest score written, 0..1', score, 0.5)
    .option('--delimiter <c>', 'field delimiter of the input file', ',')
    .addOption(onErrorOption())
    .addOption(badDatesOption())
    .action(async (file: string, options: ListOptions & { out: string; threshold: number }) => {
      const people = readList(file, options);
      await withMigratedDatabase(async (handle) => {
        const bar = progressBar('Screening', people.records.length);
        const started = performance.now();
        const result = await screenRecords(handle.db, people.records, {
          audit: CLI_AUDIT,
          threshold: options.threshold,
          onProgress: (done) => bar.update(done),
        }).catch(appErrorToCli);
        bar.stop();
        writeFileSync(
          options.out,
          writeCsv(
            ['id', 'reference_number', 'listed_name', 'score', 'decision', 'explanation'],
            result.rows.map((r) => [
              r.id,
              r.referenceNumber,
              r.listedName,
              r.score.toFixed(3),
              r.decision,
              r.explanation,
            ]),
          ),
        );
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `${result.rows.length} candidate hits for ${people.records.length} persons written to ${options.out} ` +
            `(list version ${result.versionId}, threshold ${result.threshold}) in ${seconds.toFixed(1)} s\n`,
        );
      });
    });
}
