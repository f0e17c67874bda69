import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { closeRedisLogs } from '../../src/kernel/backend/redis/connect-redis-log.js';
import { JobManagerClient } from '../../src/kernel/jobmanager/client/job-manager-client.js';
import { JobManager } from '../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../src/kernel/jobmanager/job-status.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import type { CountedArgs } from '../kernel/backend/redis/jobs/counted-batch.js';
import { hasRedisServer, NO_REDIS, startRedis, type TestRedis } from './redis-server.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const JOBS = fileURLToPath(new URL('../kernel/backend/redis/jobs/', import.meta.url));
const MODULE = new URL('../kernel/backend/redis/jobs/counted-batch.ts', import.meta.url);
const ARGS: CountedArgs = { n: 1200, keys: 10, parallelism: 2, out: 'out', everyMs: 4 };
const TICK_MS = 100;

/** A `sage` child process, with what it printed. */
interface Child {
  readonly child: ChildProcess;
  readonly lines: string[];
}

function sage(args: readonly string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    );
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, lines };
}

function kill(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.child.exitCode !== null || c.child.signalCode !== null) {
      resolve();
      return;
    }
    c.child.once('exit', () => {
      resolve();
    });
    c.child.kill('SIGKILL');
  });
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve(condition()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every `[key, value, count]` of the output stream. */
async function outputs(log: RedisLog): Promise<[string, number, number][]> {
  const out: [string, number, number][] = [];
  let after = '0';
  for (;;) {
    const page = await log.read('out', after, 5000);
    if (page.length === 0) return out;
    for (const e of page) out.push(JSON.parse(e.data) as [string, number, number]);
    after = page[page.length - 1]?.id ?? after;
  }
}

function statusOf(jm: JobManager, uuid: string): JobStatus {
  const s = jm.getJobStatus(uuid);
  if (s.status === 'not_found') throw new Error(`job ${uuid} not found`);
  return s;
}

describe('Redis backend steered by a JobManager: two sage worker processes (redis-server)', function () {
  // Starting three child processes under tsx takes most of the time on a loaded machine.
  this.timeout(60000);
  let redis: TestRedis | undefined;
  let children: Child[] = [];
  let log: RedisLog | undefined;
  let first: JobManager | undefined;

  before(function () {
    if (!hasRedisServer()) {
      console.log(`      ${NO_REDIS}`);
      this.skip();
    }
  });
  afterEach(async () => {
    for (const j of first?.listJobs() ?? [])
      if (j.status === 'paused' || j.status === 'running') first?.stopJob(j.uuid);
    await Promise.all(children.map(kill));
    children = [];
    await closeRedisLogs();
    await log?.close().catch(() => undefined);
    await redis?.stop();
  });

  it('submit, status with both workers and owners, pause within a tick, continue, exact end; a second JobManager process sees the job', async () => {
    redis = await startRedis();
    const url = redis.url;
    log = await RedisLog.connect(url);
    const flags = ['--redis', url, '--job-root', JOBS, '--lease-ms', '2000', '--tick-ms', String(TICK_MS)];
    const workers = [sage(['worker', ...flags]), sage(['worker', ...flags])];
    // A second JobManager process on the same Redis: it lists the jobs the first one submits.
    const second = sage([
      'jobmanager',
      'start',
      '--backend',
      'redis',
      '--redis',
      url,
      '--port',
      '0',
      '--job-root',
      JOBS,
    ]);
    children.push(...workers, second);
    const jm = new JobManager();
    first = jm;
    const env = await LocalEnvironment.fromModule(MODULE, { args: { ...ARGS }, config: { jobManager: jm } });
    await until(
      () => workers.every((w) => w.lines.some((l) => l.startsWith('sage worker'))),
      'the workers',
      30000,
    );
    const uuid = await env.submit({ backend: { kind: 'redis', url, leaseMs: 2000 } });

    await until(async () => (await outputs(log as RedisLog)).length >= 100, 'some output', 8000);
    jm.pauseJob(uuid);
    // Every worker reads the flag within a tick; after that no output appears.
    await new Promise((r) => setTimeout(r, 3 * TICK_MS));
    const held = (await outputs(log)).length;
    await new Promise((r) => setTimeout(r, 4 * TICK_MS));
    expect((await outputs(log)).length).to.equal(held);
    expect(held).to.be.below(ARGS.n);

    await until(
      () => {
        const s = statusOf(jm, uuid);
        return (
          (s.workers ?? []).length === 2 && (s.tasks ?? []).every((t) => t.done || t.owner !== undefined)
        );
      },
      'both workers and every owner in the status',
      5000,
    );
    const s = statusOf(jm, uuid);
    expect(s.backend).to.equal('redis');
    expect(s.status).to.equal('paused');
    const owners = new Set((s.tasks ?? []).map((t) => t.owner).filter((o) => o !== undefined));
    expect(owners.size).to.equal(2);

    jm.continueJob(uuid);
    await until(() => statusOf(jm, uuid).status === 'completed', 'the end of the job', 15000);
    const out = await outputs(log);
    const seen = new Map<string, number>();
    for (const [k, v, n] of out) {
      expect(n, `count of ${k}`).to.equal((seen.get(k) ?? 0) + 1);
      expect(v % ARGS.keys).to.equal(Number(k.slice(1)));
      seen.set(k, n);
    }
    expect(out.length).to.equal(ARGS.n);

    await until(() => second.lines.some((l) => l.includes('listening on')), 'the second JobManager', 30000);
    const port = Number(/:(\d+)$/.exec(second.lines.find((l) => l.includes('listening on')) ?? '')?.[1]);
    const client = new JobManagerClient({ port });
    try {
      await until(
        async () => (await client.getJobStatus(uuid)).status === 'completed',
        'the job in the second JobManager',
        5000,
      );
      const remote = await client.getJobStatus(uuid);
      expect(remote.status !== 'not_found' && remote.backend).to.equal('redis');
    } finally {
      client.close();
    }
  });
});
