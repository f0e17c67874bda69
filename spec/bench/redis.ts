/**
 * The Redis backend bench (`npm run bench:redis [-- --records N --batch B]`): 2 `sage worker` processes run a
 * keyed count over N records (default 1,000,000; 1,000 keys, 4 tasks, state in Redis, B records per stream entry, default 100) on a redis-server
 * of its own (127.0.0.1, temporary directory, stopped by PID). Prints records/s end to end, commit round trips
 * (p50/p99 per task), and the takeover time after kill -9 of one worker with the default 3 s lease. Figures are
 * printed, never asserted; the committed counts are checked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { loadJobModule } from '../../src/kernel/backend/redis/load-job-module.js';
import { submitLogJob } from '../../src/kernel/backend/redis/submit-log-job.js';
import { taskName } from '../../src/kernel/backend/redis/task-names.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import { hasRedisServer, startRedis } from '../redis/redis-server.js';
import type { RedisBenchArgs } from './redis-job.js';

const WORKER = fileURLToPath(new URL('./redis-worker.ts', import.meta.url));
const JOB_ROOT = fileURLToPath(new URL('./', import.meta.url));

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Worker {
  readonly child: ChildProcess;
  readonly lines: { at: number; text: string }[];
}

function startWorker(url: string, batch: number): Worker {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', WORKER, url, JOB_ROOT, String(batch)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: { at: number; text: string }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const m = /^(\d+) (.*)$/.exec(line);
      if (m !== null) lines.push({ at: Number(m[1]), text: m[2] ?? '' });
    }
  });
  return { child, lines };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const profileAt = process.argv.indexOf('--profile');
/** `--profile DIR`: the workers write CPU profiles there (only the throughput run, then they stop cleanly). */
const profileDir = profileAt >= 0 ? process.argv[profileAt + 1] : undefined;
/**
 * Records of each run (default 1M): long enough for the rate to be the workers' steady state; a 300k-record run
 * lasts about a second, and the workers' first few hundred ms (code not optimised yet) weigh on it.
 */
const records = flag('records', 1_000_000);

/** CPU time (user + system) a process used so far, in ms (0 where /proc is not available). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** CPU time redis-server used so far, in ms (its INFO cpu section). */
async function serverCpuMs(): Promise<number> {
  const info = await admin.sendCommand<string>(['INFO', 'cpu']);
  const of = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (of('used_cpu_user') + of('used_cpu_sys')) * 1000;
}
const batch = flag('batch', 100);
const args: RedisBenchArgs = { records, keys: 1000, parallelism: 4 };

if (!hasRedisServer()) {
  console.log('redis-server is not installed (apt-get install redis-server): Redis bench skipped');
  process.exit(0);
}
const redis = await startRedis();
const log = await RedisLog.connect(redis.url);
const admin = createClient({ url: redis.url });
admin.on('error', () => undefined);
await admin.connect();
const workers = [startWorker(redis.url, batch), startWorker(redis.url, batch)];
try {
  await until(
    () => workers.every((w) => w.lines.some((l) => l.text.startsWith('ready'))),
    60_000,
    'the workers',
  );
  const plan = (await loadJobModule({ jobRoot: JOB_ROOT, module: 'redis-job.ts', args, jobId: 'x' })).plan;
  const countVertex = plan.vertices.find((v) => v.operators.some((o) => o.name === 'count'));
  if (countVertex === undefined) throw new Error('no count stage');
  const committedTotal = async (id: string): Promise<number> => {
    let total = 0;
    for (let i = 0; i < countVertex.parallelism; i++) {
      for (const [field, value] of (await log.load(taskName(id, countVertex, i))).state) {
        if ((JSON.parse(field) as unknown[]).length === 3)
          total += (JSON.parse(value) as { count: number }).count;
      }
    }
    return total;
  };
  const tasks = plan.vertices.reduce((n, v) => n + v.parallelism, 0);
  const doneLines = (id: string): { at: number; text: string }[] =>
    workers.flatMap((w) => w.lines.filter((l) => l.text.includes(` done ${id}:`)));

  // 1. Throughput and commit latency, no failure.
  const serverBefore = await serverCpuMs();
  const id1 = 'bench-throughput';
  await submitLogJob(log, { jobRoot: JOB_ROOT, module: 'redis-job.ts', args, id: id1, leaseMs: 3000 });
  // Each worker's CPU time from its first task on (its job module import and plan build before are not counted).
  const cpuBefore: (number | undefined)[] = workers.map(() => undefined);
  await until(
    () => {
      workers.forEach((w, i) => {
        if (cpuBefore[i] === undefined && w.lines.some((l) => l.text.includes(`acquired ${id1}:`)))
          cpuBefore[i] = cpuMs(w.child.pid);
      });
      return doneLines(id1).length === tasks;
    },
    300_000,
    'the throughput run',
  );
  const first = Math.min(
    ...workers.flatMap((w) => w.lines.filter((l) => l.text.includes(`acquired ${id1}:`)).map((l) => l.at)),
  );
  const last = Math.max(...doneLines(id1).map((l) => l.at));
  const total1 = await committedTotal(id1);
  console.log(
    `Redis backend, 2 worker processes, keyed count, ${String(records)} records, 1000 keys, 4 tasks, ${String(batch)} records per entry`,
  );
  console.log(
    `  end to end: ${String(last - first)} ms, ${Math.round((records / (last - first)) * 1000).toLocaleString('en')} records/s (committed counts ${total1 === records ? 'exact' : `WRONG: ${String(total1)}`})`,
  );
  const workerCpu = workers.reduce(
    (sum, w, i) => sum + (cpuBefore[i] === undefined ? 0 : cpuMs(w.child.pid) - (cpuBefore[i] ?? 0)),
    0,
  );
  const serverCpu = (await serverCpuMs()) - serverBefore;
  console.log(
    `  CPU: workers ${((workerCpu / records) * 1000).toFixed(2)} µs per record, redis-server ${((serverCpu / records) * 1000).toFixed(2)} µs per record (load ${loadavg()[0]?.toFixed(2) ?? '?'})`,
  );
  for (const l of doneLines(id1)) {
    console.log(`  ${l.text.replace(/^\S+ /, '')} at +${String(l.at - first)} ms`);
  }
  const stats = await admin.sendCommand<string>(['INFO', 'commandstats']);
  console.log('  redis-server, busiest commands (calls, µs per call):');
  const rows = stats
    .split('\n')
    .map((line) => /^cmdstat_(\S+?):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[3]) - Number(a[3]))
    .slice(0, 6);
  for (const m of rows) console.log(`    ${m[1] ?? ''}: ${m[2] ?? ''} calls, ${m[4] ?? ''} µs per call`);
  /** 2. Takeover after kill -9 of one worker, default lease (3 s). */
  const takeover = async (): Promise<void> => {
    const id2 = 'bench-takeover';
    await submitLogJob(log, { jobRoot: JOB_ROOT, module: 'redis-job.ts', args, id: id2, leaseMs: 3000 });
    await until(
      () => workers.every((w) => w.lines.some((l) => l.text.includes(`acquired ${id2}:`))),
      60_000,
      'both workers to own tasks',
    );
    await new Promise((r) => setTimeout(r, (last - first) * 0.3));
    const [victim, survivor] = workers as [Worker, Worker];
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    const before = survivor.lines.length;
    await until(
      () => survivor.lines.slice(before).some((l) => l.text.includes(`acquired ${id2}:`)),
      30_000,
      'the takeover',
    );
    const takenAt =
      survivor.lines.slice(before).find((l) => l.text.includes(`acquired ${id2}:`))?.at ?? killedAt;
    await until(async () => (await committedTotal(id2)) === records, 300_000, 'the takeover run to finish');
    console.log(
      `  kill -9 of one worker: survivor took its tasks over after ${String(takenAt - killedAt)} ms (lease 3000 ms, tick 500 ms); committed counts exact`,
    );
  };
  if (profileDir !== undefined) {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.child.once('exit', () => {
              resolve();
            });
            w.child.kill('SIGTERM');
          }),
      ),
    );
    console.log(`  CPU profiles of the workers written to ${profileDir}`);
  } else {
    await takeover();
  }
} finally {
  for (const w of workers) w.child.kill('SIGKILL');
  await log.close();
  await admin.close();
  await redis.stop();
}
