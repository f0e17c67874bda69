import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { JobManagerClient } from '../../src/kernel/jobmanager/client/job-manager-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const JOBS = join(ROOT, 'spec', 'fixtures', 'jobs');
const run = promisify(execFile);

/** True when dist/cli/main.js is missing or older than a source file. */
function buildNeeded(): boolean {
  if (!existsSync(BIN)) return true;
  const built = statSync(BIN).mtimeMs;
  const src = join(ROOT, 'src');
  return readdirSync(src, { recursive: true, encoding: 'utf8' }).some(
    (f) => statSync(join(src, f)).mtimeMs > built,
  );
}

/** Runs the built `sage` with `args`; resolves with its exit code and output. */
async function sage(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 10_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Starts `sage jobmanager start` on a free port and resolves once it printed its address. */
function startServer(jobRoot = JOBS): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'jobmanager', 'start', '--port', '0', '--job-root', jobRoot], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sage jobmanager start printed no address: ${text}`));
    }, 10_000);
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => text });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sage jobmanager start exited with ${code}: ${text}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
}

describe('sage (built command, end to end)', function () {
  this.timeout(20_000);
  let server: { child: ChildProcess; port: number; output: () => string } | undefined;

  before(async function () {
    this.timeout(120_000);
    if (buildNeeded()) {
      await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 110_000 }).catch((e: unknown) => {
        if (!existsSync(BIN)) throw e;
      });
    }
  });

  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    server = undefined;
  });

  it('drives a job through submit, status, pause, continue, stop and delete over the protocol', async () => {
    server = await startServer();
    const client = new JobManagerClient({ port: server.port });
    try {
      expect((await client.healthCheck()).status).to.equal('healthy');
      const uuid = await client.submitJob({ module: 'ticker.mjs', args: { intervalMs: 2 }, name: 'e2e' });
      expect(await client.getJobStatus(uuid)).to.include({ uuid, name: 'e2e', status: 'running' });
      expect((await client.pauseJob(uuid)).status).to.equal('paused');
      expect((await client.continueJob(uuid)).status).to.equal('running');
      expect((await client.stopJob(uuid)).status).to.equal('stopped');
      await client.deleteJob(uuid);
      expect((await client.getJobStatus(uuid)).status).to.equal('not_found');
    } finally {
      client.close();
    }
  });

  it('runs a TypeScript job module through tsx in a server process that has no TypeScript loader of its own', async () => {
    server = await startServer();
    const port = String(server.port);
    const submitted = await sage(['job', 'submit', 'ticker.ts', '--export', 'slow', '--port', port]);
    expect(submitted.code, submitted.stderr).to.equal(0);
    const status = await sage(['job', 'status', submitted.stdout.trim(), '--json', '--port', port]);
    expect(JSON.parse(status.stdout)).to.include({ name: 'slow', status: 'running' });
  });

  it('places a job module that cannot find sage-kernel, and says how to install it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sage-no-kernel-'));
    try {
      await writeFile(
        join(root, 'job.mjs'),
        "import { MapFunction } from 'sage-kernel';\nexport default () => MapFunction;\n",
      );
      server = await startServer(root);
      const submitted = await sage(['job', 'submit', 'job.mjs', '--port', String(server.port)]);
      expect(submitted.code).to.equal(1);
      expect(submitted.stderr)
        .to.contain(`${await realpath(join(root, 'job.mjs'))}:1:29: Cannot find package 'sage-kernel'`)
        .and.to.contain('run `npm install sage-kernel` in the job root');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('answers the job commands with the documented exit codes, and stops its jobs on SIGTERM with exit 0', async () => {
    server = await startServer();
    const port = String(server.port);
    const submitted = await sage(['job', 'submit', 'ticker.mjs', '--port', port]);
    expect(submitted.code, submitted.stderr).to.equal(0);
    const uuid = submitted.stdout.trim();
    const status = await sage(['job', 'status', uuid, '--json', '--port', port]);
    expect(status.code).to.equal(0);
    expect(JSON.parse(status.stdout)).to.include({ uuid, status: 'running' });
    expect((await sage(['job', 'status', 'no-such-job', '--port', port])).code).to.equal(1);
    expect((await sage(['job', 'status'])).code).to.equal(2);
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).to.equal(0);
    expect(server.output()).to.contain('SIGTERM: stopping jobs').and.to.contain('sage jobmanager stopped');
    expect((await sage(['job', 'list', '--port', port])).code).to.equal(3);
  });
});
