import { asyncScheduler, type Subscription } from 'rxjs';
import { UsageError } from '../errors/usage-error.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  MIN_REMOTE_TOKEN_LENGTH,
} from '../kernel/jobmanager/protocol/protocol-defaults.js';
import { JobManagerHttpServer } from '../kernel/jobmanager/http/job-manager-http-server.js';
import { JobManagerServer } from '../kernel/jobmanager/server/job-manager-server.js';
import { adoptLogJobs } from '../kernel/jobmanager/adopt-log-jobs.js';
import { closeRedisLogs, connectRedisLog } from '../kernel/backend/redis/connect-redis-log.js';
import type { CliIo } from './cli-io.js';
import { cliLogger } from './cli-logger.js';
import { parsePort, tokenFlag } from './connection-flags.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { didYouMean } from './did-you-mean.js';
import { placementFromFlags } from './placement-flags.js';
import { booleanFlag, parseCommandLine, stringFlag } from './parse-command-line.js';

const GROUP_HELP = `Usage: sage jobmanager <command>

Commands:
  start    run a JobManager server in the foreground

Run \`sage jobmanager start --help\` for its options.
`;

const START_HELP = `Usage: sage jobmanager start [--host HOST] [--port PORT] [--http PORT] [--job-root DIR]... [--token TOKEN]
       [--isolation thread|none] [--backend in-process|threads|redis] [--workers N] [--redis URL]

Runs a JobManager server in the foreground and prints the address it listens on; it logs job events
(submitted, completed, stopped, failed with the reason) and failed submits to stderr. SIGINT (Ctrl-C) or
SIGTERM stops its jobs and exits with 0.

Options:
  --host HOST             address to listen on (default ${DEFAULT_HOST}); anything but loopback needs a token
                          of at least ${MIN_REMOTE_TOKEN_LENGTH} characters
  --port PORT             port (default ${DEFAULT_PORT}; 0 picks a free one)
  --http PORT             also serve the REST API, /metrics and the web dashboard on this port (same host
                          and token; the token goes in \`Authorization: Bearer <token>\`)
  --job-root DIR          directory job modules may be loaded from (repeatable; none = every submit refused)
  --token TOKEN           require this token on every request (or SAGE_TOKEN; empty means none)
  --max-connections N     connections served at once (default 128)
  --isolation MODE        thread (default): each job runs in a worker thread of its own, so a job that exits,
                          loops or runs out of memory fails alone; none: jobs run in the server's thread
  --max-old-generation-mb N  heap limit of each isolated job's thread (default 512)
  --backend KIND          in-process (default) or threads: each job's instances spread over worker threads
  --workers N             worker threads per job with --backend threads (default: the available cores)
  --backend redis         jobs are registered in Redis and run by the \`sage worker\` processes (started with
                          the same --job-root); their state lives in Redis, so a restarted server lists and
                          steers them again (and lists those other servers submit), and stopping the server
                          leaves them running
  --redis URL             the Redis server of --backend redis (or SAGE_REDIS_URL)
  -h, --help              show this help

Exit codes: 0 stopped by a signal, 2 usage error, 3 cannot listen on the address.
`;

/**
 * `sage jobmanager start`: runs a JobManager server until SIGINT or SIGTERM, then stops its jobs; resolves
 * with the exit code.
 *
 * @example
 * ```ts
 * const code = await jobmanagerCommand(['start', '--port', '0', '--job-root', 'jobs'], io);
 * ```
 */
export async function jobmanagerCommand(args: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    (command === undefined ? io.stderr : io.stdout).write(GROUP_HELP);
    return command === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (command !== 'start')
    throw new UsageError(
      `Unknown command: sage jobmanager ${command}.${didYouMean(command, ['start'])} See \`sage jobmanager --help\``,
    );
  const parsed = parseCommandLine('sage jobmanager start', rest, {
    host: { type: 'string' },
    port: { type: 'string' },
    http: { type: 'string' },
    'job-root': { type: 'string', multiple: true },
    token: { type: 'string' },
    'max-connections': { type: 'string' },
    isolation: { type: 'string' },
    'max-old-generation-mb': { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    redis: { type: 'string' },
  });
  if (booleanFlag(parsed, 'help')) {
    io.stdout.write(START_HELP);
    return ExitCode.Ok;
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(`sage jobmanager start takes no arguments, got ${parsed.positionals.join(' ')}`);
  }
  const roots = parsed.values['job-root'];
  const maxConnections = stringFlag(parsed, 'max-connections');
  if (maxConnections !== undefined && !/^[1-9]\d*$/.test(maxConnections)) {
    throw new UsageError(
      `--max-connections must be a positive integer, got ${JSON.stringify(maxConnections)}`,
    );
  }
  const token = tokenFlag(parsed, io.env);
  const logger = cliLogger('sage-kernel:cli:jobmanager', io.stderr, 'info');
  const placement = placementFromFlags({
    isolation: stringFlag(parsed, 'isolation'),
    maxOldGenerationMb: stringFlag(parsed, 'max-old-generation-mb'),
    backend: stringFlag(parsed, 'backend'),
    workers: stringFlag(parsed, 'workers'),
    redis:
      stringFlag(parsed, 'redis') ??
      (stringFlag(parsed, 'backend') === 'redis' ? io.env.SAGE_REDIS_URL : undefined),
    jobRoot: Array.isArray(roots) && typeof roots[0] === 'string' ? roots[0] : undefined,
  });
  const server = new JobManagerServer({
    host: stringFlag(parsed, 'host') ?? DEFAULT_HOST,
    port: parsePort(stringFlag(parsed, 'port') ?? String(DEFAULT_PORT), true),
    jobRoots: Array.isArray(roots) ? roots.filter((r): r is string => typeof r === 'string') : [],
    ...(token !== undefined ? { token } : {}),
    ...(maxConnections !== undefined ? { maxConnections: Number(maxConnections) } : {}),
    logger,
    ...placement,
  });
  const httpPort = stringFlag(parsed, 'http');
  const http =
    httpPort === undefined
      ? undefined
      : new JobManagerHttpServer({
          host: stringFlag(parsed, 'host') ?? DEFAULT_HOST,
          port: httpPortOf(httpPort),
          jobRoots: Array.isArray(roots) ? roots.filter((r): r is string => typeof r === 'string') : [],
          jobManager: server.jobManager,
          ...(token !== undefined ? { token } : {}),
          logger,
          ...placement,
        });
  const redis =
    placement.backend !== undefined && placement.backend !== 'in-process' ? placement.backend : undefined;
  let watch: Subscription | undefined;
  if (redis?.kind === 'redis') {
    const log = await connectRedisLog(redis.url);
    const adopted = await adoptLogJobs(server.jobManager, log);
    io.stdout.write(`Redis backend on ${redis.url}: ${String(adopted.length)} jobs taken over\n`);
    // Jobs another JobManager submits to the same Redis are listed here too within a second (but not the jobs
    // this one knew and deleted).
    const known = new Set(adopted.map((j) => j.uuid));
    watch = asyncScheduler.schedule(function () {
      for (const job of server.jobManager.listJobs()) known.add(job.uuid);
      void adoptLogJobs(server.jobManager, log, { skip: (id) => known.has(id) }).catch(() => undefined);
      this.schedule(undefined, 1000);
    }, 1000);
  }
  const { host, port } = await server.start();
  const shown = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  io.stdout.write(`sage jobmanager listening on ${shown}\n`);
  if (http !== undefined) {
    try {
      const { url } = await http.start();
      io.stdout.write(`HTTP API on ${url}/jobs, metrics on ${url}/metrics, dashboard on ${url}/\n`);
    } catch (e) {
      await server.stop();
      throw e;
    }
  }
  const info = server.info();
  io.stdout.write(
    info.job_roots.length > 0
      ? `job roots: ${info.job_roots.join(', ')}\n`
      : 'no job roots: every submit is refused (start with --job-root DIR)\n',
  );
  if (info.auth_required) io.stdout.write('requests must carry the token\n');
  const signal = await new Promise<string>((resolve) => {
    const remove = io.onStopSignal((s) => {
      remove();
      resolve(s);
    });
  });
  io.stdout.write(`${signal}: stopping jobs and closing connections\n`);
  await http?.stop();
  watch?.unsubscribe();
  await server.stop();
  await closeRedisLogs();
  io.stdout.write('sage jobmanager stopped\n');
  return ExitCode.Ok;
}

function httpPortOf(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--http must be a port from 0 to 65535, got ${JSON.stringify(text)}`);
  }
  return port;
}
