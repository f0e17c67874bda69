import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DataStream } from '../../src/core/api/data-stream.js';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { runCli } from '../../src/cli/run-cli.js';
import { JobManagerClient } from '../../src/kernel/jobmanager/client/job-manager-client.js';
import { JobManagerServer } from '../../src/kernel/jobmanager/server/job-manager-server.js';
import { smallJobs } from '../kernel/jobmanager/fixtures/small-jobs.js';
import { TestIo } from './cli-test-io.js';

const JOBS = fileURLToPath(new URL('../fixtures/jobs', import.meta.url));
const UUID = /^[0-9a-f-]{36}$/;
const UUID_LINE = /^[0-9a-f-]{36}\n$/;

describe('sage (in process)', function () {
  this.timeout(10_000);
  let server: JobManagerServer;
  let port: string;

  beforeEach(async () => {
    server = new JobManagerServer({ port: 0, jobRoots: [JOBS] });
    port = String((await server.start()).port);
  });

  afterEach(async () => {
    await server.stop();
  });

  async function sage(
    args: string[],
    io = new TestIo(),
  ): Promise<{ code: number; out: string; err: string }> {
    const code = await runCli(args, io);
    return { code, out: io.stdout.text, err: io.stderr.text };
  }

  it('prints help for every command with exit 0', async () => {
    const commands = [
      ['--help'],
      ['jobmanager', '--help'],
      ['jobmanager', 'start', '--help'],
      ['job', '--help'],
      ...['submit', 'list', 'status', 'pause', 'continue', 'stop', 'delete', 'watch'].map((c) => [
        'job',
        c,
        '--help',
      ]),
    ];
    for (const args of commands) {
      const { code, out } = await sage(args);
      expect(code, args.join(' ')).to.equal(0);
      expect(out, args.join(' ')).to.contain('Usage: sage');
    }
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      [],
      ['nope'],
      ['job'],
      ['job', 'frobnicate'],
      ['job', 'status'],
      ['job', 'status', 'a', 'b'],
      ['job', 'list', '--bogus'],
      ['job', 'submit', 'x.mjs', '--args', '{not json'],
      ['job', 'list', '--port', '99999'],
      ['job', 'watch', 'u', '--interval', '0'],
      ['jobmanager', 'start', '--host', '0.0.0.0', '--port', '0'],
      ['jobmanager', 'start', '--job-root', '/nonexistent/sage'],
    ]) {
      const { code, err } = await sage(args);
      expect(code, args.join(' ')).to.equal(2);
      expect(err, args.join(' ')).to.match(/^(sage: |Usage: sage)/);
    }
  });

  it('exits 3 when the server cannot be reached', async () => {
    const closed = new JobManagerServer({ port: 0 });
    const unused = String((await closed.start()).port);
    await closed.stop();
    const { code, err } = await sage(['job', 'list', '--port', unused]);
    expect(code).to.equal(3);
    expect(err).to.contain('connection refused');
  });

  it('exits 1 for an unknown job and for a refused module', async () => {
    expect((await sage(['job', 'status', 'no-such', '--port', port])).code).to.equal(1);
    const paused = await sage(['job', 'pause', 'no-such', '--port', port]);
    expect(paused.code).to.equal(1);
    expect(paused.err).to.contain('No job with uuid no-such');
    const outside = await sage(['job', 'submit', '../../package.json', '--port', port]);
    expect(outside.code).to.equal(1);
    expect(outside.err).to.contain('not allowed');
  });

  it('submits, lists, shows, pauses, continues, stops and deletes a job', async () => {
    const submitted = await sage([
      'job',
      'submit',
      'ticker.ts',
      '--args',
      '{"intervalMs":2}',
      '--name',
      'cli-job',
      '--port',
      port,
    ]);
    expect(submitted.code).to.equal(0);
    const uuid = submitted.out.trim();
    expect(uuid).to.match(UUID);
    const listed = await sage(['job', 'list', '--port', port]);
    expect(listed.out).to.contain(uuid).and.to.contain('cli-job').and.to.contain('running');
    const json = await sage(['job', 'list', '--json', '--port', port]);
    const page = JSON.parse(json.out) as { jobs: { uuid: string }[]; total: number };
    expect(page.jobs.map((j) => j.uuid)).to.deep.equal([uuid]);
    expect(page.total).to.equal(1);
    const status = await sage(['job', 'status', uuid, '--port', port]);
    expect(status.out)
      .to.match(/^job cli-job/)
      .and.to.contain('double');
    expect((await sage(['job', 'pause', uuid, '--port', port])).out).to.equal(`${uuid} paused\n`);
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('paused');
    expect((await sage(['job', 'continue', uuid, '--port', port])).out).to.equal(`${uuid} running\n`);
    const refused = await sage(['job', 'delete', uuid, '--port', port]);
    expect(refused.code).to.equal(1);
    expect(refused.err)
      .to.contain(`--force (sage job delete ${uuid} --force)`)
      .and.not.to.contain('force: true');
    expect((await sage(['job', 'stop', uuid, '--port', port])).out).to.equal(`${uuid} stopped\n`);
    expect((await sage(['job', 'delete', uuid, '--port', port])).out).to.equal(`${uuid} deleted\n`);
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('not_found');
  });

  it('job list pages with --offset and --limit', async () => {
    await smallJobs(server.jobManager, 5);
    const uuids = server.jobManager.listJobs().map((j) => j.uuid);
    const first = await sage(['job', 'list', '--limit', '2', '--port', port]);
    expect(first.code).to.equal(0);
    expect(first.out).to.contain(uuids[0]).and.to.contain(uuids[1]).and.not.to.contain(uuids[2]);
    expect(first.out).to.contain('jobs 1–2 of 5; --offset 2 for more');
    const json = await sage(['job', 'list', '--offset', '3', '--limit', '10', '--json', '--port', port]);
    const page = JSON.parse(json.out) as { jobs: { uuid: string }[]; total: number };
    expect(page.jobs.map((j) => j.uuid)).to.deep.equal(uuids.slice(3));
    expect(page.total).to.equal(5);
    const beyond = await sage(['job', 'list', '--offset', '9', '--port', port]);
    expect(beyond.out).to.equal('no jobs at offset 9 (5 in all)\n');
    for (const args of [
      ['--limit', '0'],
      ['--limit', 'x'],
      ['--offset', '-1'],
    ]) {
      expect((await sage(['job', 'list', ...args, '--port', port])).code, args.join(' ')).to.equal(2);
    }
    const tooMany = await sage(['job', 'list', '--limit', '1001', '--port', port]);
    expect(tooMany.code).to.equal(1);
    expect(tooMany.err).to.contain('limit must be an integer from 1 to 1000');
  });

  it('prints the version of package.json with --version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v', 'version']) {
      const { code, out } = await sage([flag]);
      expect(code, flag).to.equal(0);
      expect(out, flag).to.equal(`sage-kernel ${pkg.version}\n`);
    }
  });

  it('suggests the closest command or option for a mistyped one, instead of the parser message', async () => {
    const cases: [string[], string][] = [
      [['jbo', 'list'], 'Unknown command: sage jbo. Did you mean job?'],
      [['--verison'], 'Unknown option: sage --verison. Did you mean --version?'],
      [['job', 'stauts', 'u'], 'Unknown command: sage job stauts. Did you mean status?'],
      [['jobmanager', 'strat'], 'Did you mean start?'],
      [
        ['job', 'submit', 'ticker.ts', '--expotr', 'slow'],
        'sage job submit: unknown option --expotr. Did you mean --export? See `sage job submit --help`',
      ],
      [['job', 'delete', 'u', '--froce'], 'unknown option --froce. Did you mean --force?'],
      [['job', 'list', '-x'], 'sage job list: unknown option -x. See `sage job list --help`'],
      [['job', 'submit', 'ticker.ts', '--export'], 'sage job submit: --export needs a value'],
      [['job', 'list', '--json=yes'], 'sage job list: --json takes no value'],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await sage(args);
      expect(code, args.join(' ')).to.equal(2);
      expect(err, args.join(' ')).to.contain(message).and.not.to.contain("Unknown option '");
    }
  });

  it('exits 1 with a message for continue on a job that is not paused and pause on one that is not running', async () => {
    const uuid = (await sage(['job', 'submit', 'ticker.ts', '--port', port])).out.trim();
    const running = await sage(['job', 'continue', uuid, '--port', port]);
    expect(running.code).to.equal(1);
    expect(running.err).to.contain(`Job ${uuid} is running, not paused`);
    expect((await sage(['job', 'pause', uuid, '--port', port])).code).to.equal(0);
    const paused = await sage(['job', 'pause', uuid, '--port', port]);
    expect(paused.code).to.equal(1);
    expect(paused.err).to.contain('already paused');
    expect((await sage(['job', 'stop', uuid, '--port', port])).code).to.equal(0);
    for (const verb of ['continue', 'pause']) {
      const stopped = await sage(['job', verb, uuid, '--port', port]);
      expect(stopped.code, verb).to.equal(1);
      expect(stopped.err, verb).to.match(new RegExp(`^sage: Job ${uuid} is stopped: `));
    }
  });

  it('names a job after its export when --export is given and no --name', async () => {
    const named = (await sage(['job', 'submit', 'ticker.ts', '--export', 'slow', '--port', port])).out.trim();
    expect(server.jobManager.getJobStatus(named)).to.include({ name: 'slow' });
    const byFile = (await sage(['job', 'submit', 'ticker.ts', '--port', port])).out.trim();
    expect(server.jobManager.getJobStatus(byFile)).to.include({ name: 'ticker' });
    const explicit = (
      await sage(['job', 'submit', 'ticker.ts', '--export', 'slow', '--name', 'mine', '--port', port])
    ).out.trim();
    expect(server.jobManager.getJobStatus(explicit)).to.include({ name: 'mine' });
  });

  it('submit --autostop shows a live line of sink rates and elapsed time on a terminal only', async () => {
    const args = ['job', 'submit', 'ticker.ts', '--args', '{"limit":30,"intervalMs":10}', '--autostop'];
    const tty = new TestIo({}, false, true);
    const live = await sage([...args, '--export', 'slow', '--port', port], tty);
    expect(live.code).to.equal(0);
    const line = /\r\x1b\[2Kjob slow (running|completed) \d+\.\ds \| drop \d[\d,]* rec\/s \(\d[\d,]*\)/; // eslint-disable-line no-control-regex
    expect(live.err).to.match(line);
    expect(live.err.endsWith('\r\x1b[2K')).to.equal(true);
    expect(live.out).to.match(UUID_LINE);
    const plain = await sage([...args, '--port', port]);
    expect(plain.code).to.equal(0);
    expect(plain.err).to.equal('');
  });

  it('job init scaffolds a job root whose module counts words, and refuses a directory that is not empty', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'sage-init-')), 'my jobs');
    try {
      const created = await sage(['job', 'init', dir]);
      expect(created.code, created.err).to.equal(0);
      expect(created.out).to.contain('npm install && npm test');
      expect((await readdir(dir)).sort()).to.deep.equal([
        'README.md',
        'package.json',
        'word-count.mjs',
        'word-count.test.mjs',
      ]);
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        type: string;
        dependencies: Record<string, string>;
      };
      expect(pkg).to.include({ name: 'my-jobs', type: 'module' });
      expect(pkg.dependencies['sage-kernel']).to.match(/^\^\d+\.\d+\.\d+/);
      const { countWords } = (await import(pathToFileURL(join(dir, 'word-count.mjs')).href)) as {
        countWords: (env: LocalEnvironment, lines: string[]) => DataStream<[string, number]>;
      };
      const env = new LocalEnvironment('init-spec');
      const out: [string, number][] = [];
      countWords(env, ['a b a', 'b a']).sink((r) => {
        out.push(r);
      });
      await env.submit({ autostop: true });
      expect([...new Map(out)].sort()).to.deep.equal([
        ['a', 3],
        ['b', 2],
      ]);
      const again = await sage(['job', 'init', dir]);
      expect(again.code).to.equal(2);
      expect(again.err).to.contain('is not empty');
    } finally {
      await rm(dirname(dir), { recursive: true, force: true });
    }
  });

  it('submit --autostop waits for the end: 0 when completed, 1 when failed', async () => {
    const done = await sage([
      'job',
      'submit',
      'ticker.ts',
      '--args',
      '{"limit":5,"intervalMs":1}',
      '--autostop',
      '--port',
      port,
    ]);
    expect(done.code).to.equal(0);
    expect(server.jobManager.getJobStatus(done.out.trim()).status).to.equal('completed');
    const failed = await sage(['job', 'submit', 'failing-job.ts', '--autostop', '--port', port]);
    expect(failed.code).to.equal(1);
    expect(failed.err).to.contain('failed').and.to.contain('two is not allowed');
  });

  it('watch prints plain lines off a terminal and exits 0 when the job ends', async () => {
    const client = new JobManagerClient({ port: Number(port) });
    const uuid = await client.submitJob({ module: 'ticker.ts', args: { limit: 20, intervalMs: 5 } });
    client.close();
    const { code, out } = await sage(['job', 'watch', uuid, '--interval', '30', '--port', port]);
    expect(code).to.equal(0);
    expect(out).to.not.contain('\x1b[');
    expect(out).to.contain(`job ticker (${uuid})  running`);
    expect(out.trimEnd().split('\n').pop()).to.equal(`job ${uuid} completed`);
  });

  it('watch redraws in place on a terminal', async () => {
    const client = new JobManagerClient({ port: Number(port) });
    const uuid = await client.submitJob({ module: 'ticker.ts', args: { limit: 20, intervalMs: 5 } });
    client.close();
    const io = new TestIo({}, true);
    const { code, out } = await sage(['job', 'watch', uuid, '--interval', '30', '--port', port], io);
    expect(code).to.equal(0);
    // eslint-disable-next-line no-control-regex
    expect(out).to.match(/\x1b\[\d+A/);
    expect(out).to.contain('\x1b[2K');
  });

  it('watch exits 1 for an unknown job', async () => {
    const { code, err } = await sage(['job', 'watch', 'nope', '--port', port]);
    expect(code).to.equal(1);
    expect(err).to.contain('No job with uuid nope');
  });

  it('takes the connection from SAGE_PORT and SAGE_TOKEN', async () => {
    const secured = new JobManagerServer({ port: 0, token: 'tok' });
    const securedPort = String((await secured.start()).port);
    try {
      expect(
        (await sage(['job', 'list'], new TestIo({ SAGE_PORT: securedPort, SAGE_TOKEN: 'tok' }))).code,
      ).to.equal(0);
      const wrong = await sage(['job', 'list'], new TestIo({ SAGE_PORT: securedPort, SAGE_TOKEN: 'bad' }));
      expect(wrong.code).to.equal(1);
      expect(wrong.err).to.contain('Authentication failed');
    } finally {
      await secured.stop();
    }
  });

  it('treats an empty SAGE_TOKEN as no token, in jobmanager start as in the client commands', async () => {
    const io = new TestIo({ SAGE_TOKEN: '' });
    const running = runCli(['jobmanager', 'start', '--port', '0'], io);
    while (!io.listening && !io.stderr.text) await new Promise((r) => setTimeout(r, 5));
    expect(io.stderr.text).to.equal('');
    expect(io.stdout.text).to.not.contain('token');
    const started = /listening on 127\.0\.0\.1:(\d+)/.exec(io.stdout.text)?.[1] ?? '';
    const list = await sage(['job', 'list', '--port', started], new TestIo({ SAGE_TOKEN: '' }));
    io.signal('SIGINT');
    expect(await running).to.equal(0);
    expect(list.code).to.equal(0);
    const remote = await sage(
      ['jobmanager', 'start', '--host', '0.0.0.0', '--port', '0'],
      new TestIo({ SAGE_TOKEN: '' }),
    );
    expect(remote.code).to.equal(2);
    expect(remote.err).to.contain('without a token');
    const short = await sage(
      ['jobmanager', 'start', '--host', '0.0.0.0', '--port', '0'],
      new TestIo({ SAGE_TOKEN: 'short' }),
    );
    expect(short.code).to.equal(2);
    expect(short.err).to.contain('at least 16 characters');
  });

  it('jobmanager start serves until a stop signal, then stops its jobs and exits 0', async () => {
    const io = new TestIo();
    const running = runCli(['jobmanager', 'start', '--port', '0', '--job-root', JOBS], io);
    while (!io.listening) await new Promise((r) => setTimeout(r, 5));
    const match = /listening on 127\.0\.0\.1:(\d+)/.exec(io.stdout.text);
    expect(match).to.not.equal(null);
    const client = new JobManagerClient({ port: Number(match?.[1]) });
    const uuid = await client.submitJob({ module: 'ticker.ts' });
    expect((await client.getJobStatus(uuid)).status).to.equal('running');
    client.close();
    io.signal('SIGINT');
    expect(await running).to.equal(0);
    expect(io.stdout.text).to.contain('SIGINT: stopping jobs').and.to.contain('stopped');
    expect(io.stderr.text)
      .to.match(new RegExp(`^\\S+ info job ticker \\(${uuid}\\) submitted from ticker\\.ts`, 'm'))
      .and.to.match(new RegExp(`info job ticker \\(${uuid}\\) stopped$`, 'm'));
  });
});
