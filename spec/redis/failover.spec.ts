import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createClient } from 'redis';
import { loadJobModule, type LoadedJob } from '../../src/kernel/backend/redis/load-job-module.js';
import { submitLogJob } from '../../src/kernel/backend/redis/submit-log-job.js';
import { taskName } from '../../src/kernel/backend/redis/task-names.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import type { PacedArgs } from './jobs/paced-keyed-count.js';
import { hasRedisServer, NO_REDIS, startRedis, type TestRedis } from './redis-server.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const JOBS = fileURLToPath(new URL('./jobs/', import.meta.url));
const ARGS: PacedArgs = { ticks: 100, perTick: 300, everyMs: 10, keys: 50, parallelism: 2, out: 'out' };
const TOTAL = ARGS.ticks * ARGS.perTick;

/** A `sage worker` child process, with what it printed. */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
}

function startWorker(url: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'worker',
      '--redis',
      url,
      '--job-root',
      JOBS,
      '--lease-ms',
      '1000',
      '--tick-ms',
      '150',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) =>
    lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    ),
  );
  child.stderr.on('data', (chunk: Buffer) =>
    lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    ),
  );
  return { child, lines };
}

function stopWorker(worker: WorkerProcess): Promise<void> {
  return new Promise((resolve) => {
    const { child } = worker;
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
}

type Client = ReturnType<typeof createClient>;

let workers: WorkerProcess[] = [];

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) {
      const printed = workers
        .map((w, i) => `worker ${String(i)}:\n  ${w.lines.slice(-8).join('\n  ')}`)
        .join('\n');
      throw new Error(`timed out waiting for ${what}\n${printed}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function outputLength(client: Client, out: string): Promise<number> {
  return Number(await client.sendCommand(['XLEN', out]));
}

async function allDone(client: Client, job: LoadedJob, id: string): Promise<boolean> {
  for (const v of job.plan.vertices) {
    for (let i = 0; i < v.parallelism; i++) {
      const done: unknown = await client.sendCommand(['GET', `{${taskName(id, v, i)}}:done`]);
      if (done !== '1') return false;
    }
  }
  return true;
}

/** Checks every key's `[value, count]` sequence and the committed counts against the plain model. */
async function verify(log: RedisLog, job: LoadedJob, id: string, out: string): Promise<void> {
  const seen = new Map<string, number[]>();
  let after = '0';
  for (;;) {
    const page = await log.read(out, after, 5000);
    if (page.length === 0) break;
    for (const e of page) {
      const [k, v, n] = JSON.parse(e.data) as [string, number, number];
      const values = seen.get(k) ?? [];
      expect(n, `count of ${k}`).to.equal(values.length + 1);
      values.push(v);
      seen.set(k, values);
    }
    after = page[page.length - 1]?.id ?? after;
  }
  expect(seen.size).to.equal(ARGS.keys);
  for (const [k, values] of seen) {
    const i = Number(k.slice(1));
    const expected = Array.from({ length: TOTAL / ARGS.keys }, (_, j) => i + j * ARGS.keys);
    expect(values, `values of ${k}`).to.deep.equal(expected);
  }
  const count = job.plan.vertices.find((v) => v.operators.some((o) => o.name === 'count'));
  let keys = 0;
  for (let i = 0; i < (count?.parallelism ?? 0); i++) {
    if (count === undefined) break;
    const committed = await log.load(taskName(id, count, i));
    for (const [field, value] of committed.state) {
      const parts = JSON.parse(field) as unknown[];
      if (parts.length !== 3) continue;
      keys++;
      expect((JSON.parse(value) as { count: number }).count).to.equal(TOTAL / ARGS.keys);
    }
  }
  expect(keys).to.equal(ARGS.keys);
}

/** Lines a worker printed since `mark` (its line count when a spec began). */
function since(worker: WorkerProcess, mark: number): string[] {
  return worker.lines.slice(mark);
}

describe('Redis backend: sage worker processes under failures (redis-server)', function () {
  this.timeout(60000);
  let redis: TestRedis | undefined;
  let log: RedisLog;
  let client: Client;

  // One redis-server and a pool of two `sage worker` processes for the whole suite (a worker takes seconds to
  // start on a loaded machine): each spec submits its own job with its own output stream, and a worker killed
  // by a spec is replaced before the next one.
  before(async function () {
    if (!hasRedisServer()) {
      console.log(`      ${NO_REDIS}`);
      this.skip();
    }
    redis = await startRedis();
    log = await RedisLog.connect(redis.url);
    client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
  });
  beforeEach(async () => {
    const url = redis?.url ?? '';
    workers = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    while (workers.length < 2) workers.push(startWorker(url));
    await until(
      () => Promise.resolve(workers.every((w) => w.lines.some((l) => l.startsWith('sage worker')))),
      'the workers to connect',
      40000,
    );
  });
  after(async () => {
    await Promise.all(workers.map(stopWorker));
    workers = [];
    if (redis === undefined) return;
    await client.close().catch(() => undefined);
    await log.close().catch(() => undefined);
    await redis.stop();
  });

  async function submit(): Promise<{ id: string; job: LoadedJob; out: string; marks: number[] }> {
    const id = `job-${Math.random().toString(36).slice(2, 8)}`;
    const args: PacedArgs = { ...ARGS, out: `out-${id}` };
    const marks = workers.map((w) => w.lines.length);
    await submitLogJob(log, { jobRoot: JOBS, module: 'paced-keyed-count.ts', args, id, leaseMs: 1000 });
    const job = await loadJobModule({ jobRoot: JOBS, module: 'paced-keyed-count.ts', args, jobId: id });
    return { id, job, out: args.out, marks };
  }

  it('kill -9 of one worker mid-stream: the other takes its tasks over; every key exact, state exact', async () => {
    const { id, job, out, marks } = await submit();
    await until(async () => (await outputLength(client, out)) >= TOTAL * 0.3, '30% of the output', 8000);
    const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
    victim.child.kill('SIGKILL');
    await until(() => allDone(client, job, id), 'the end of the job', 9000);
    expect(since(survivor, marks[1] ?? 0).some((l) => l.includes(`acquired ${id}:`))).to.equal(true);
    await verify(log, job, id, out);
  });

  it('a worker frozen (SIGSTOP) past its lease, then resumed: it loses its tasks, output exact', async () => {
    const { id, job, out, marks } = await submit();
    const [zombie, other] = workers as [WorkerProcess, WorkerProcess];
    const acquired = (w: WorkerProcess, mark: number): number =>
      since(w, mark).filter((l) => l.includes(`acquired ${id}:`)).length;
    await until(
      () => Promise.resolve(acquired(zombie, marks[0] ?? 0) > 0 && acquired(other, marks[1] ?? 0) > 0),
      'both workers to own tasks',
      8000,
    );
    await until(async () => (await outputLength(client, out)) >= TOTAL * 0.2, '20% of the output', 8000);
    zombie.child.kill('SIGSTOP');
    const frozenAt = zombie.lines.length;
    const before = acquired(other, marks[1] ?? 0);
    await until(
      () => Promise.resolve(acquired(other, marks[1] ?? 0) > before),
      'the other worker to take over',
      5000,
    );
    zombie.child.kill('SIGCONT');
    await until(
      () =>
        Promise.resolve(
          since(zombie, frozenAt).some((l) => /lease expired|commit fenced|commit conflict/.test(l)),
        ),
      'the resumed worker to drop its tasks',
      5000,
    );
    await until(() => allDone(client, job, id), 'the end of the job', 9000);
    await verify(log, job, id, out);
  });

  it('a redis-server restart mid-run (AOF): workers reconnect, output exact', async () => {
    const { id, job, out } = await submit();
    await until(async () => (await outputLength(client, out)) >= TOTAL * 0.3, '30% of the output', 8000);
    await redis?.restart();
    await until(() => allDone(client, job, id), 'the end of the job', 9000);
    await verify(log, job, id, out);
  });
});
