import { spawn, type ChildProcess } from 'node:child_process';
import { UsageError } from '../errors/usage-error.js';
import { redisUrlFlag } from './redis-url-flag.js';
import type { CliIo } from './cli-io.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { booleanFlag, parseCommandLine, stringFlag } from './parse-command-line.js';

const HELP = `Usage: sage worker --redis URL --job-root DIR [--slots N] [--lease-ms MS] [--tick-ms MS] [--prefix P]

Runs the tasks of the jobs registered in Redis (Redis backend): imports each job's module from DIR (the same
files on every machine), checks its plan fingerprint, and takes tasks through leases. Workers may join and leave
at any time; a dead worker's tasks move to the others once its lease expires.

  --redis URL      the Redis (or Valkey) server, e.g. redis://127.0.0.1:6379, or a Redis Cluster
                   from any of its nodes: redis+cluster://10.0.0.1:7000,10.0.0.2:7000
  --job-root DIR   directory the job modules are imported from
  --slots N        run N worker processes (default 1)
  --lease-ms MS    membership time-out when a job sets no lease (default 3000)
  --tick-ms MS     control tick: heartbeat, assignment, renewals (default lease / 6, at most 500)
  --prefix P       prefix of the shared keys (default sage)
`;

/**
 * `sage worker`: a worker process of the Redis backend (or `--slots N` of them), until SIGINT or SIGTERM.
 *
 * @example
 * ```ts
 * await workerCommand(['--redis', 'redis://127.0.0.1:6379', '--job-root', 'jobs'], io);
 * ```
 */
export async function workerCommand(args: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  const parsed = parseCommandLine('sage worker', args, {
    redis: { type: 'string' },
    'job-root': { type: 'string' },
    slots: { type: 'string' },
    'lease-ms': { type: 'string' },
    'tick-ms': { type: 'string' },
    prefix: { type: 'string' },
  });
  if (booleanFlag(parsed, 'help')) {
    io.stdout.write(HELP);
    return ExitCode.Ok;
  }
  const url = stringFlag(parsed, 'redis') ?? io.env.SAGE_REDIS_URL;
  const jobRoot = stringFlag(parsed, 'job-root');
  if (url === undefined) throw new UsageError('sage worker needs --redis URL (or SAGE_REDIS_URL)');
  redisUrlFlag(url);
  if (jobRoot === undefined) throw new UsageError('sage worker needs --job-root DIR');
  const slots = positive(parsed, 'slots') ?? 1;
  const leaseMs = positive(parsed, 'lease-ms');
  const tickMs = positive(parsed, 'tick-ms');
  if (slots > 1) return runSlots(args, slots, io);
  const redis = await importRedisBackend();
  const prefix = stringFlag(parsed, 'prefix');
  const log = await redis.RedisLog.connect(url, prefix !== undefined ? { prefix } : {});
  const worker = new redis.LogWorker(log, {
    jobRoot,
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(tickMs !== undefined ? { tickMs } : {}),
    onEvent: (line) => io.stdout.write(`${line}\n`),
  });
  worker.start();
  io.stdout.write(`sage worker ${worker.id} on ${url}, job root ${jobRoot}\n`);
  const signal = await new Promise<string>((resolve) => {
    const remove = io.onStopSignal((s) => {
      remove();
      resolve(s);
    });
  });
  io.stdout.write(`${signal}: releasing tasks\n`);
  await worker.stop();
  await log.close();
  return ExitCode.Ok;
}

async function importRedisBackend(): Promise<typeof import('../redis/index.js')> {
  try {
    return await import('../redis/index.js');
  } catch (e) {
    if (e instanceof Error && /Cannot find (package|module) 'redis'/.test(e.message)) {
      throw new UsageError(
        'sage worker needs the redis package: run `npm install redis` next to sage-kernel',
      );
    }
    throw e;
  }
}

function positive(parsed: ReturnType<typeof parseCommandLine>, name: string): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text))
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Runs `slots` worker processes (this command with --slots 1) and stops them on SIGINT or SIGTERM. */
async function runSlots(args: readonly string[], slots: number, io: CliIo): Promise<ExitCodeValue> {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--slots') i++;
    else if (!a.startsWith('--slots=')) rest.push(a);
  }
  const children: ChildProcess[] = [];
  for (let s = 0; s < slots; s++) {
    children.push(
      spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', 'worker', ...rest], {
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    );
  }
  io.stdout.write(`sage worker: ${String(slots)} worker processes\n`);
  const signal = await new Promise<string>((resolve) => {
    const remove = io.onStopSignal((s) => {
      remove();
      resolve(s);
    });
  });
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => {
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  io.stdout.write(`${signal}: worker processes stopped\n`);
  return ExitCode.Ok;
}
