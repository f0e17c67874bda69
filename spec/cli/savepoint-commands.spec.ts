import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/run-cli.js';
import { JobManagerServer } from '../../src/kernel/jobmanager/server/job-manager-server.js';
import type { JobSnapshot } from '../../src/kernel/runtime/state/job-snapshot.js';
import { countsOf } from '../fixtures/jobs/keyed-counter.js';
import { waitFor } from '../helpers/wait-for.js';
import { TestIo } from './cli-test-io.js';

const JOBS = fileURLToPath(new URL('../fixtures/jobs', import.meta.url));
const UUID = /^[0-9a-f-]{36}$/;
const FIRST = ['a', 'b', 'a', 'c', 'a', 'b'];

describe('sage job savepoint, stop --savepoint, submit --from-savepoint', function () {
  this.timeout(10_000);
  let server: JobManagerServer;
  let port: string;
  let dir: string;

  beforeEach(async () => {
    server = new JobManagerServer({ port: 0, jobRoots: [JOBS] });
    port = String((await server.start()).port);
    dir = await mkdtemp(join(tmpdir(), 'sage-savepoint-'));
  });

  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function sage(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = new TestIo();
    const code = await runCli([...args, '--port', port], io);
    return { code, out: io.stdout.text, err: io.stderr.text };
  }

  /** Submits the keyed counter over FIRST (plus `more`) through the CLI and waits for its records. */
  async function counting(report: string, expected: number, extra: string[] = []): Promise<string> {
    const submitted = await sage([
      'job',
      'submit',
      'keyed-counter.ts',
      '--args',
      JSON.stringify({ words: FIRST, parallelism: 2, report }),
      ...extra,
    ]);
    expect(submitted.code, submitted.err).to.equal(0);
    const uuid = submitted.out.trim();
    expect(uuid).to.match(UUID);
    await waitFor(() => countsOf(report).length === expected, {
      timeoutMs: 5000,
      what: `${expected} counts`,
    });
    return uuid;
  }

  function lastCounts(records: readonly [string, number][]): Record<string, number> {
    return Object.fromEntries(new Map(records.map(([w, n]) => [w, n])));
  }

  it('prints a savepoint as JSON, and writes one to --out atomically, leaving the job running', async () => {
    const uuid = await counting('cli-print', FIRST.length);
    const printed = await sage(['job', 'savepoint', uuid]);
    expect(printed.code, printed.err).to.equal(0);
    const savepoint = JSON.parse(printed.out) as JobSnapshot;
    expect(savepoint.operators.count).to.have.length(2);

    const file = join(dir, 'sp.json');
    const written = await sage(['job', 'savepoint', uuid, '--out', file]);
    expect(written.code, written.err).to.equal(0);
    expect(written.out).to.match(
      new RegExp(`^${uuid} savepoint written to .*sp\\.json \\(\\d+ bytes\\)\\n$`),
    );
    const fromFile = JSON.parse(await readFile(file, 'utf8')) as JobSnapshot;
    expect(Object.keys(fromFile.operators)).to.deep.equal(Object.keys(savepoint.operators));
    expect(await readdir(dir)).to.deep.equal(['sp.json']);
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('running');
  });

  it('stop --savepoint FILE stops the job, and submit --from-savepoint FILE restores it at another parallelism', async () => {
    const uuid = await counting('cli-stop', FIRST.length);
    const file = join(dir, 'last.json');
    const stopped = await sage(['job', 'stop', uuid, '--savepoint', file]);
    expect(stopped.code, stopped.err).to.equal(0);
    expect(stopped.out).to.contain(`${uuid} stopped; savepoint written to`);
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('stopped');

    const restored = await sage([
      'job',
      'submit',
      'keyed-counter.ts',
      '--args',
      JSON.stringify({ words: [...FIRST, 'a', 'b', 'c', 'd'], parallelism: 3, report: 'cli-restored' }),
      '--from-savepoint',
      file,
    ]);
    expect(restored.code, restored.err).to.equal(0);
    await waitFor(() => countsOf('cli-restored').length === 4, { timeoutMs: 5000, what: 'the new words' });
    expect(lastCounts(countsOf('cli-restored'))).to.deep.equal({ a: 4, b: 3, c: 2, d: 1 });
  });

  it('refuses a savepoint of an operator the job lacks unless --allow-non-restored-state', async () => {
    const uuid = await counting('cli-mismatch', FIRST.length);
    const file = join(dir, 'sp.json');
    expect((await sage(['job', 'stop', uuid, '--savepoint', file])).code).to.equal(0);
    const args = ['job', 'submit', 'keyed-counter.ts', '--export', 'renamed', '--args', '{"words":[]}'];
    const refused = await sage([...args, '--from-savepoint', file]);
    expect(refused.code).to.equal(1);
    expect(refused.err).to.contain("operator 'count'").and.to.contain('allowNonRestoredState');
    const allowed = await sage([...args, '--from-savepoint', file, '--allow-non-restored-state']);
    expect(allowed.code, allowed.err).to.equal(0);
    expect(allowed.out.trim()).to.match(UUID);
  });

  it('exits 2 for a savepoint file that is missing, not JSON or not a savepoint, sending nothing', async () => {
    const notJson = join(dir, 'not.json');
    const notSavepoint = join(dir, 'array.json');
    await writeFile(notJson, '{ "operators": ');
    await writeFile(notSavepoint, '[1, 2]');
    for (const [file, reason] of [
      [join(dir, 'missing.json'), 'ENOENT'],
      [notJson, 'it is not JSON'],
      [notSavepoint, 'it is not a savepoint: it is an array'],
    ] as const) {
      const { code, err } = await sage(['job', 'submit', 'keyed-counter.ts', '--from-savepoint', file]);
      expect(code, file).to.equal(2);
      expect(err).to.contain(`Cannot use savepoint file ${file}`).and.to.contain(reason);
    }
    const flagAlone = await sage(['job', 'submit', 'keyed-counter.ts', '--allow-non-restored-state']);
    expect(flagAlone.code).to.equal(2);
    expect(flagAlone.err).to.contain('--allow-non-restored-state needs --from-savepoint FILE');
    expect(server.jobManager.listJobs()).to.have.length(0);
  });

  it('exits 1 when the savepoint cannot be written, before asking: the job is not stopped', async () => {
    const uuid = await counting('cli-unwritable', FIRST.length);
    const nowhere = join(dir, 'no-such-dir', 'sp.json');
    for (const args of [
      ['job', 'savepoint', uuid, '--out', nowhere],
      ['job', 'stop', uuid, '--savepoint', nowhere],
    ]) {
      const { code, err } = await sage(args);
      expect(code, args.join(' ')).to.equal(1);
      expect(err).to.contain(`Cannot write savepoint file ${nowhere}`);
    }
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('running');
  });

  it('prints the savepoint on stdout when the file cannot be written once the job stopped', async () => {
    const uuid = await counting('cli-rename-fails', FIRST.length);
    const target = join(dir, 'a-directory');
    await mkdir(target);
    const { code, out, err } = await sage(['job', 'stop', uuid, '--savepoint', target]);
    expect(code).to.equal(1);
    expect(err)
      .to.contain(`Cannot write savepoint file ${target}`)
      .and.to.contain('printed on stdout instead');
    expect((JSON.parse(out) as JobSnapshot).operators.count).to.have.length(2);
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('stopped');
    expect(await readdir(dir)).to.deep.equal(['a-directory']);
  });

  it('exits 1 for an unknown job and leaves no file behind', async () => {
    const file = join(dir, 'sp.json');
    const unknown = await sage(['job', 'savepoint', 'no-such', '--out', file]);
    expect(unknown.code).to.equal(1);
    expect(unknown.err).to.contain('No job with uuid no-such');
    expect((await sage(['job', 'stop', 'no-such', '--savepoint', file])).code).to.equal(1);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('documents the new commands and options in --help', async () => {
    const help = async (args: string[]): Promise<string> => {
      const io = new TestIo();
      expect(await runCli(args, io)).to.equal(0);
      return io.stdout.text;
    };
    expect(await help(['job', 'savepoint', '--help'])).to.contain('sage job savepoint <uuid> [--out FILE]');
    expect(await help(['job', 'stop', '--help'])).to.contain('--savepoint FILE');
    expect(await help(['job', 'submit', '--help']))
      .to.contain('--from-savepoint FILE')
      .and.to.contain('--allow-non-restored-state');
    expect(await help(['job', '--help'])).to.contain('savepoint <uuid>');
    expect(await help(['--help'])).to.contain('sage job savepoint <uuid> [--out FILE]');
  });
});
