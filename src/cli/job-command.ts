import { join } from 'node:path';
import { exhaustMap, filter, firstValueFrom, from, tap, timer } from 'rxjs';
import { RequestFailedError } from '../errors/request-failed-error.js';
import { SavepointFileError } from '../errors/savepoint-file-error.js';
import { UsageError } from '../errors/usage-error.js';
import { JobManagerClient } from '../kernel/jobmanager/client/job-manager-client.js';
import type { JobStatus } from '../kernel/jobmanager/job-status.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type JobSummary } from '../kernel/jobmanager/job-summary.js';
import type { JsonValue } from '../kernel/jobmanager/protocol/messages.js';
import type { JobSnapshot } from '../kernel/runtime/state/job-snapshot.js';
import { autostopLine } from './autostop-line.js';
import type { CliIo, CliOutput } from './cli-io.js';
import { didYouMean } from './did-you-mean.js';
import { initJobRoot } from './init-job-root.js';
import { packageVersion } from './package-version.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionFlags } from './connection-flags.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { booleanFlag, parseCommandLine, stringFlag, type ParsedCommandLine } from './parse-command-line.js';
import { readSavepointFile, SavepointFile } from './savepoint-file.js';
import { serviceLines } from './service-lines.js';
import { watchJob } from './watch-job.js';
import { formatSeconds, table } from './watch-view.js';

const EXIT_CODES =
  'Exit codes: 0 success, 1 request failed or job not found, 2 usage error, 3 cannot reach the server.';

const GROUP_HELP = `Usage: sage job <command> [options]

Commands:
  init <dir>         create a job root: package.json, a job module and its test
  submit <module>    submit a job module from the server's job roots; prints the job uuid
  list               list the jobs
  status <uuid>      show a job's status and per-operator counts
  pause <uuid>       pause a job
  continue <uuid>    resume a paused job
  stop <uuid>        stop a job (--savepoint FILE takes a last savepoint first)
  savepoint <uuid>   take a savepoint of a job (--out FILE, or to stdout)
  delete <uuid>      delete an ended job (--force stops a running one first)
  watch <uuid>       live view of a job's records in/out and rates until it ends

Run \`sage job <command> --help\` for its options.
${EXIT_CODES}
`;

interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  readonly options: Record<string, { type: 'string' | 'boolean' }>;
  readonly optionHelp: string;
}

/** A command that talks to a server. */
interface Subcommand extends CommandHelp {
  readonly run: (parsed: ParsedCommandLine, client: JobManagerClient, io: CliIo) => Promise<ExitCodeValue>;
}

/** A command that talks to no server (and takes no connection flags). */
interface LocalSubcommand extends CommandHelp {
  readonly runLocal: (parsed: ParsedCommandLine, io: CliIo) => Promise<ExitCodeValue>;
}

/** `sage job init <dir>`. */
const INIT: LocalSubcommand = {
  usage: 'sage job init <dir>',
  summary:
    'Creates a job root in <dir> (a new or empty directory): a package.json depending on sage-kernel, a job\n' +
    'module (word-count.mjs), its test (node --test) and a README saying how to run them.',
  options: {},
  optionHelp: '',
  runLocal: async (parsed, io) => {
    const dir = onePositional(parsed, 'init', '<dir>');
    const created = await initJobRoot(dir, packageVersion());
    io.stdout.write(
      `created ${created.map((f) => join(dir, f)).join(', ')}\n` +
        `next: cd ${dir} && npm install && npm test, then npx sage jobmanager start --job-root .\n`,
    );
    return ExitCode.Ok;
  },
};

const CONTROL = { pause: 'paused', continue: 'running' } as const;

const SUBCOMMANDS: Record<string, Subcommand> = {
  submit: {
    usage:
      'sage job submit <module> [--export NAME] [--args JSON] [--name NAME] [--autostop]\n' +
      '                          [--from-savepoint FILE [--allow-non-restored-state]]',
    summary:
      'Submits a job module (a path relative to a job root of the server) and prints the job uuid.\n' +
      'With --autostop it waits until the job ended: exit 0 if it completed, 1 otherwise.\n' +
      'With --from-savepoint every operator starts from a savepoint file (operators matched by name),\n' +
      'at any parallelism up to maxParallelism.',
    options: {
      export: { type: 'string' },
      args: { type: 'string' },
      name: { type: 'string' },
      autostop: { type: 'boolean' },
      'from-savepoint': { type: 'string' },
      'allow-non-restored-state': { type: 'boolean' },
    },
    optionHelp: `  --export NAME   builder export of the module (default "default")
  --args JSON     JSON passed to the builder as its second argument
  --name NAME     job name (default: the --export name when given, else the module's file name)
  --autostop      wait for the job to end; on a terminal, shows records/s per sink and the elapsed time
  --from-savepoint FILE
                  start from the savepoint in FILE (written by \`sage job savepoint --out FILE\`)
  --allow-non-restored-state
                  start even when the savepoint holds state of operators the job does not have
                  (that state is dropped)`,
    run: async (parsed, client, io) => {
      const module = onePositional(parsed, 'submit', '<module>');
      const args = parseJsonArgs(stringFlag(parsed, 'args'));
      const exportName = stringFlag(parsed, 'export');
      const name = stringFlag(parsed, 'name');
      const savepointFile = stringFlag(parsed, 'from-savepoint');
      const allowNonRestored = booleanFlag(parsed, 'allow-non-restored-state');
      if (allowNonRestored && savepointFile === undefined) {
        throw new UsageError('--allow-non-restored-state needs --from-savepoint FILE');
      }
      const restore = savepointFile === undefined ? undefined : await readSavepointFile(savepointFile);
      const params = {
        module,
        ...(exportName !== undefined ? { export: exportName } : {}),
        ...(args !== undefined ? { args } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(restore !== undefined ? { restore } : {}),
        ...(allowNonRestored ? { allowNonRestoredState: true } : {}),
      };
      if (!booleanFlag(parsed, 'autostop')) {
        io.stdout.write(`${await client.submitJob(params)}\n`);
        return ExitCode.Ok;
      }
      const uuid = await client.submitJob({ ...params, autostop: true });
      io.stdout.write(`${uuid}\n`);
      await waitForEnd(client, uuid, io.stderr);
      const last = await client.getJobStatus(uuid);
      if (last.status === 'completed') return ExitCode.Ok;
      io.stderr.write(
        `job ${uuid} ${last.status}${last.status === 'failed' && last.error !== undefined ? `: ${last.error}` : ''}\n`,
      );
      return ExitCode.RequestFailed;
    },
  },
  list: {
    usage: 'sage job list [--offset N] [--limit N] [--json]',
    summary:
      'Lists the jobs the server knows, in submit order, a page at a time (`sage job status` shows one in full).',
    options: { json: { type: 'boolean' }, offset: { type: 'string' }, limit: { type: 'string' } },
    optionHelp: `  --offset N      jobs to skip (default 0)
  --limit N       most jobs to show (default ${DEFAULT_PAGE_LIMIT}, at most ${MAX_PAGE_LIMIT})
  --json          print the page as JSON: { jobs: [summary…], total }`,
    run: async (parsed, client, io) => {
      noPositionals(parsed, 'list');
      const offset = countFlag(parsed, 'offset', 0);
      const limit = countFlag(parsed, 'limit', 1);
      const page = await client.listJobs({
        ...(offset !== undefined ? { offset } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      const { jobs, total } = page;
      if (booleanFlag(parsed, 'json')) {
        io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return ExitCode.Ok;
      }
      if (jobs.length === 0) {
        io.stdout.write(total === 0 ? 'no jobs\n' : `no jobs at offset ${offset ?? 0} (${total} in all)\n`);
        return ExitCode.Ok;
      }
      const rows = [['UUID', 'NAME', 'STATUS', 'STARTED', 'RUNTIME'], ...jobs.map(listRow)];
      io.stdout.write(`${table(rows, [4]).join('\n')}\n`);
      const first = offset ?? 0;
      if (jobs.length < total) {
        const next = first + jobs.length < total ? `; --offset ${first + jobs.length} for more` : '';
        io.stdout.write(`jobs ${first + 1}–${first + jobs.length} of ${total}${next}\n`);
      }
      return ExitCode.Ok;
    },
  },
  status: {
    usage: 'sage job status <uuid> [--json]',
    summary: "Shows a job's status and per-operator counts; exit 1 when no job has that uuid.",
    options: { json: { type: 'boolean' } },
    optionHelp: '  --json          print the status as JSON',
    run: async (parsed, client, io) => {
      const uuid = onePositional(parsed, 'status', '<uuid>');
      const status = await client.getJobStatus(uuid);
      if (booleanFlag(parsed, 'json')) io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      if (status.status === 'not_found') {
        if (!booleanFlag(parsed, 'json'))
          io.stderr.write(`sage: No job with uuid ${uuid}: \`sage job list\` shows the known jobs\n`);
        return ExitCode.RequestFailed;
      }
      if (!booleanFlag(parsed, 'json')) io.stdout.write(`${statusLines(status).join('\n')}\n`);
      return ExitCode.Ok;
    },
  },
  ...Object.fromEntries(
    (Object.keys(CONTROL) as (keyof typeof CONTROL)[]).map((verb): [string, Subcommand] => [
      verb,
      {
        usage: `sage job ${verb} <uuid>`,
        summary: `${verb === 'continue' ? 'Resumes a paused job' : `${verb[0]?.toUpperCase() ?? ''}${verb.slice(1)}s a job`} and prints its new state.`,
        options: {},
        optionHelp: '',
        run: async (parsed, client, io) => {
          const uuid = onePositional(parsed, verb, '<uuid>');
          const status = verb === 'pause' ? await client.pauseJob(uuid) : await client.continueJob(uuid);
          io.stdout.write(`${uuid} ${status.status}\n`);
          return ExitCode.Ok;
        },
      },
    ]),
  ),
  stop: {
    usage: 'sage job stop <uuid> [--savepoint FILE]',
    summary:
      'Stops a job and prints its new state. With --savepoint FILE it first takes a last savepoint and\n' +
      'writes it to FILE (atomically); a savepoint that cannot be taken or sent leaves the job running.',
    options: { savepoint: { type: 'string' } },
    optionHelp: '  --savepoint FILE  write a last savepoint to FILE, then stop',
    run: async (parsed, client, io) => {
      const uuid = onePositional(parsed, 'stop', '<uuid>');
      const file = stringFlag(parsed, 'savepoint');
      if (file === undefined) {
        io.stdout.write(`${uuid} ${(await client.stopJob(uuid)).status}\n`);
        return ExitCode.Ok;
      }
      const bytes = await withSavepointFile(file, io, () => client.triggerSavepoint(uuid, { stop: true }));
      io.stdout.write(`${uuid} stopped; savepoint written to ${file} (${bytes} bytes)\n`);
      return ExitCode.Ok;
    },
  },
  savepoint: {
    usage: 'sage job savepoint <uuid> [--out FILE]',
    summary:
      'Takes a savepoint of a job (a consistent cut of its state; the job goes on) and prints it as JSON,\n' +
      'or writes it to FILE atomically. Start a job from it with `sage job submit --from-savepoint FILE`.',
    options: { out: { type: 'string' } },
    optionHelp: '  --out FILE      write the savepoint to FILE instead of stdout',
    run: async (parsed, client, io) => {
      const uuid = onePositional(parsed, 'savepoint', '<uuid>');
      const file = stringFlag(parsed, 'out');
      if (file === undefined) {
        io.stdout.write(`${JSON.stringify(await client.triggerSavepoint(uuid))}\n`);
        return ExitCode.Ok;
      }
      const bytes = await withSavepointFile(file, io, () => client.triggerSavepoint(uuid));
      io.stdout.write(`${uuid} savepoint written to ${file} (${bytes} bytes)\n`);
      return ExitCode.Ok;
    },
  },
  delete: {
    usage: 'sage job delete <uuid> [--force]',
    summary: 'Deletes an ended job; a running or paused one only with --force (which stops it first).',
    options: { force: { type: 'boolean' } },
    optionHelp: '  --force         stop the job first if it is still running or paused',
    run: async (parsed, client, io) => {
      const uuid = onePositional(parsed, 'delete', '<uuid>');
      try {
        await client.deleteJob(uuid, { force: booleanFlag(parsed, 'force') });
      } catch (e) {
        // The JobManager's hint names its API option; on the command line it is a flag.
        if (e instanceof RequestFailedError && e.message.includes('{ force: true }')) {
          throw new RequestFailedError(
            e.action,
            e.message.replace('{ force: true }', `--force (sage job delete ${uuid} --force)`),
            e.errorType,
          );
        }
        throw e;
      }
      io.stdout.write(`${uuid} deleted\n`);
      return ExitCode.Ok;
    },
  },
  watch: {
    usage: 'sage job watch <uuid> [--interval MS]',
    summary:
      "Shows a job's per-operator records in/out and rates, refreshed every second (in place on a terminal,\n" +
      'as plain lines otherwise), until the job ends; then exits 0.',
    options: { interval: { type: 'string' } },
    optionHelp: '  --interval MS   milliseconds between refreshes (default 1000)',
    run: async (parsed, client, io) => {
      const uuid = onePositional(parsed, 'watch', '<uuid>');
      const interval = stringFlag(parsed, 'interval') ?? '1000';
      if (!/^[1-9]\d*$/.test(interval))
        throw new UsageError(`--interval must be a positive integer, got ${JSON.stringify(interval)}`);
      const last = await watchJob(client, uuid, io.stdout, Number(interval));
      io.stdout.write(`job ${last.uuid} ${last.status}\n`);
      return ExitCode.Ok;
    },
  },
};

/**
 * `sage job <command>`: talks to a JobManager server (`--host`, `--port`, `--token`) to submit, list, inspect,
 * control and watch jobs; resolves with the exit code.
 *
 * @example
 * ```ts
 * const code = await jobCommand(['status', uuid, '--port', '19001'], io);
 * ```
 */
export async function jobCommand(args: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(GROUP_HELP);
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  const sub: Subcommand | LocalSubcommand | undefined =
    name === 'init' ? INIT : Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (sub === undefined) {
    throw new UsageError(
      `Unknown command: sage job ${name}.${didYouMean(name, ['init', ...Object.keys(SUBCOMMANDS)])} ` +
        'See `sage job --help`',
    );
  }
  const parsed = parseCommandLine(`sage job ${name}`, rest, {
    ...sub.options,
    ...('runLocal' in sub ? {} : CONNECTION_OPTIONS),
  });
  if (booleanFlag(parsed, 'help')) {
    const options = [
      sub.optionHelp,
      'runLocal' in sub ? '' : CONNECTION_HELP,
      '  -h, --help      show this help',
    ]
      .filter((s) => s !== '')
      .join('\n');
    io.stdout.write(`Usage: ${sub.usage}\n\n${sub.summary}\n\nOptions:\n${options}\n\n${EXIT_CODES}\n`);
    return ExitCode.Ok;
  }
  if ('runLocal' in sub) return await sub.runLocal(parsed, io);
  const client = new JobManagerClient(connectionFlags(parsed, io.env));
  try {
    return await sub.run(parsed, client, io);
  } finally {
    client.close();
  }
}

/**
 * Opens FILE for an atomic write before `take` sends its request (an unwritable place costs nothing), then
 * writes the savepoint `take` resolves with; resolves with the bytes written. Should the write itself fail once
 * the savepoint was taken (a full disk), the savepoint goes to stdout instead, so that it is not lost.
 */
async function withSavepointFile(file: string, io: CliIo, take: () => Promise<JobSnapshot>): Promise<number> {
  const out = await SavepointFile.create(file);
  try {
    const savepoint = await take();
    try {
      return await out.commit(savepoint);
    } catch (e) {
      io.stdout.write(`${JSON.stringify(savepoint)}\n`);
      const reason = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
      throw new SavepointFileError('write', file, `${reason}; the savepoint was printed on stdout instead`, {
        cause: e,
      });
    }
  } finally {
    await out.discard();
  }
}

/** Polls until the job ended; on a terminal `progress`, keeps one live line of sink rates up to date. */
async function waitForEnd(client: JobManagerClient, uuid: string, progress: CliOutput): Promise<void> {
  let previous: JobStatus | undefined;
  const live = progress.isTTY === true;
  await firstValueFrom(
    timer(0, 200).pipe(
      exhaustMap(() => from(client.getJobStatus(uuid))),
      tap((status) => {
        if (!live || status.status === 'not_found') return;
        progress.write(`\r\x1b[2K${autostopLine(previous, status)}`);
        previous = status;
      }),
      filter((s) => s.status !== 'running' && s.status !== 'paused' && s.status !== 'initializing'),
    ),
  );
  if (live && previous !== undefined) progress.write('\r\x1b[2K');
}

function onePositional(parsed: ParsedCommandLine, command: string, what: string): string {
  const [first, ...extra] = parsed.positionals;
  if (first === undefined)
    throw new UsageError(`sage job ${command} needs ${what}: sage job ${command} ${what}`);
  if (extra.length > 0)
    throw new UsageError(`sage job ${command} takes one ${what}, got also: ${extra.join(' ')}`);
  return first;
}

function noPositionals(parsed: ParsedCommandLine, command: string): void {
  if (parsed.positionals.length > 0) {
    throw new UsageError(`sage job ${command} takes no arguments, got ${parsed.positionals.join(' ')}`);
  }
}

function parseJsonArgs(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new UsageError(
      `--args must be JSON (for example '{"n": 10}'): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function countFlag(parsed: ParsedCommandLine, name: string, min: number): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} must be an integer of ${min} or more, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function listRow(job: JobSummary): string[] {
  return [job.uuid, job.name, job.status, job.startTime, formatSeconds(job.runtimeMs)];
}

function statusLines(status: JobStatus): string[] {
  const rows = [
    ['operator', 'par', 'in', 'out', 'dropped', 'errors'],
    ...status.operators.map((o) => [
      o.operator,
      String(o.parallelism),
      String(o.in),
      String(o.out),
      String(o.dropped),
      String(o.errors),
    ]),
  ];
  return [
    `job ${status.name} (${status.uuid})  ${status.status}`,
    `started ${status.startTime}${status.endTime !== undefined ? `, ended ${status.endTime}` : ''}, runtime ${formatSeconds(status.runtimeMs)}, queued ${status.queued}`,
    ...(status.error !== undefined ? [`error: ${status.error}`] : []),
    ...table(rows, [1, 2, 3, 4, 5]),
    ...serviceLines(status.services),
  ];
}
