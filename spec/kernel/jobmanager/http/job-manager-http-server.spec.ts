import { expect } from 'chai';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../../src/errors/usage-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';
import { JobManagerHttpServer } from '../../../../src/kernel/jobmanager/http/job-manager-http-server.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { call, type HttpAnswer } from './http-client.js';

const SHARED_JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));
const JOBS = fileURLToPath(new URL('./fixtures/jobs', import.meta.url));
const TOKEN = 'correct horse battery staple';

function known(jm: JobManager, uuid: string): JobStatus {
  const status = jm.getJobStatus(uuid);
  if (status.status === 'not_found') throw new Error(`job ${uuid} is unknown`);
  return status;
}

function expectError(answer: HttpAnswer, status: number, message?: RegExp): void {
  expect(answer.status, answer.text).to.equal(status);
  expect(answer.headers.get('content-type')).to.match(/^application\/json/);
  expect(answer.body.status).to.equal('error');
  expect(answer.body.message).to.be.a('string').and.not.equal('');
  if (message !== undefined) expect(answer.body.message).to.match(message);
}

/** Sends raw bytes and resolves with everything the server answered before closing (or after 2 s). */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.end(bytes);
  });
}

/** Sends raw bytes without ending the request; resolves with what was answered once the server closes (or after `ms`). */
function rawUnended(port: number, bytes: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.write(bytes);
  });
}

/** The JSON body of a raw HTTP answer. */
function rawBody(text: string): Record<string, unknown> {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('JobManagerHttpServer', function () {
  this.timeout(10_000);

  describe('host rules', () => {
    it('refuses to listen off loopback without a token, and refuses an empty token', async () => {
      for (const options of [
        { host: '0.0.0.0', port: 0 },
        { port: 0, token: '' },
      ]) {
        const server = new JobManagerHttpServer(options);
        let error: unknown;
        try {
          await server.start();
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(UsageError);
        await server.stop();
      }
    });

    it('refuses a job root that does not exist', async () => {
      const server = new JobManagerHttpServer({ port: 0, jobRoots: [`${JOBS}/nope`] });
      let error: unknown;
      try {
        await server.start();
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(UsageError);
    });
  });

  describe('with a token', () => {
    let server: JobManagerHttpServer;
    let url: string;

    beforeEach(async () => {
      server = new JobManagerHttpServer({ port: 0, token: TOKEN, jobRoots: [SHARED_JOBS] });
      url = (await server.start()).url;
    });
    afterEach(async () => {
      await server.stop();
    });

    it('answers /health without the token', async () => {
      const answer = await call(url, '/health');
      expect(answer.status).to.equal(200);
      expect(answer.body).to.nested.include({ status: 'success', 'daemon_status.status': 'healthy' });
    });

    it('answers 401 with a JSON error to every other route when the token is missing or wrong', async () => {
      const routes: [string, string][] = [
        ['GET', '/jobs'],
        ['POST', '/jobs'],
        ['GET', '/jobs/x'],
        ['DELETE', '/jobs/x'],
        ['GET', '/jobs/x/metrics'],
        ['POST', '/jobs/x/pause'],
        ['POST', '/jobs/x/continue'],
        ['POST', '/jobs/x/stop'],
        ['POST', '/jobs/x/savepoint'],
        ['GET', '/metrics'],
        ['GET', '/openapi.json'],
      ];
      for (const [method, path] of routes) {
        for (const token of [undefined, 'wrong', `${TOKEN} `.repeat(2)]) {
          const answer = await call(url, path, { method, ...(token !== undefined ? { token } : {}) });
          expectError(answer, 401, /token/);
          expect(answer.headers.get('www-authenticate')).to.equal('Bearer');
        }
      }
      expect(server.jobManager.listJobs()).to.have.length(0);
    });

    it('serves every route with the right token', async () => {
      expect((await call(url, '/jobs', { token: TOKEN })).status).to.equal(200);
      expect((await call(url, '/metrics', { token: TOKEN })).status).to.equal(200);
      expect((await call(url, '/openapi.json', { token: TOKEN })).status).to.equal(200);
      const submitted = await call(url, '/jobs', {
        method: 'POST',
        token: TOKEN,
        body: { module: 'ticker.ts' },
      });
      expect(submitted.status).to.equal(201);
    });

    it('serves the dashboard page without the token (it holds no job data and asks for the token)', async () => {
      const page = await call(url, '/');
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.text).to.contain('dashboard.js');
      expect(page.headers.get('content-security-policy')).to.contain("default-src 'self'");
      for (const [file, type] of [
        ['dashboard.js', /^text\/javascript/],
        ['dashboard.css', /^text\/css/],
        ['dagre.min.js', /^text\/javascript/],
      ] as const) {
        const asset = await call(url, `/dashboard/${file}`);
        expect(asset.status, file).to.equal(200);
        expect(asset.headers.get('content-type')).to.match(type);
      }
      expect((await call(url, '/dashboard/dagre.min.js')).text).to.contain('var dagre=');
    });
  });

  describe('without a token', () => {
    let jm: JobManager;
    let server: JobManagerHttpServer;
    let url: string;
    let port: number;

    beforeEach(async () => {
      jm = new JobManager();
      server = new JobManagerHttpServer({
        port: 0,
        jobRoots: [SHARED_JOBS, JOBS],
        jobManager: jm,
        maxBodyBytes: 4096,
      });
      const address = await server.start();
      url = address.url;
      port = address.port;
    });
    afterEach(async () => {
      await server.stop();
      for (const job of jm.listJobs())
        if (job.status === 'running' || job.status === 'paused') jm.stopJob(job.uuid);
    });

    async function submit(body: unknown): Promise<string> {
      const answer = await call(url, '/jobs', { method: 'POST', body });
      expect(answer.status, answer.text).to.equal(201);
      expect(answer.body.status).to.equal('success');
      return answer.body.job_uuid as string;
    }

    describe('POST /jobs', () => {
      it('starts a job module with its args and names it after the module file', async () => {
        const uuid = await submit({ module: 'ticker.ts', args: { intervalMs: 1 } });
        const status = jm.getJobStatus(uuid);
        expect(status).to.include({ name: 'ticker', status: 'running' });
      });

      it('names the job after the export when one is given', async () => {
        const uuid = await submit({
          module: 'sensor-pipeline.ts',
          export: 'sensors',
          args: { intervalMs: 5 },
        });
        expect(jm.getJobStatus(uuid)).to.include({ name: 'sensors' });
        const other = await submit({ module: 'sensor-pipeline.ts' });
        expect(jm.getJobStatus(other)).to.include({ name: 'sensor-pipeline' });
      });

      it('answers 400 for bodies that are not a job request', async () => {
        const bad: [unknown, RegExp][] = [
          ['{"module": ', /not valid JSON/],
          ['', /JSON object/],
          ['[1, 2]', /JSON object/],
          ['"ticker.ts"', /JSON object/],
          [{}, /"module"/],
          [{ module: '' }, /"module"/],
          [{ module: 42 }, /"module"/],
          [{ module: 'ticker.ts', export: 7 }, /"export"/],
          [{ module: 'ticker.ts', autostop: 'yes' }, /"autostop"/],
          [{ module: 'ticker.ts', modul: 'x' }, /Unknown field "modul"/],
          [
            `{"module": "ticker.ts", "args": ${'['.repeat(1_500)}${']'.repeat(1_500)}}`,
            /"args" nests deeper/,
          ],
        ];
        for (const [body, message] of bad)
          expectError(await call(url, '/jobs', { method: 'POST', body }), 400, message);
        expect(jm.listJobs()).to.have.length(0);
      });

      it('answers 400 for a module outside the job roots, a missing export and a builder that throws', async () => {
        expectError(
          await call(url, '/jobs', { method: 'POST', body: { module: '../../../package.json' } }),
          400,
          /not allowed/,
        );
        expectError(
          await call(url, '/jobs', { method: 'POST', body: { module: '/etc/hostname' } }),
          400,
          /not allowed/,
        );
        expectError(
          await call(url, '/jobs', { method: 'POST', body: { module: 'ticker.ts', export: 'answer' } }),
          400,
          /no builder function exported as "answer"/,
        );
        expectError(
          await call(url, '/jobs', {
            method: 'POST',
            body: { module: 'throws-while-building.ts', args: { n: 1 } },
          }),
          400,
          /refusing to build with \{"n":1\}/,
        );
        expect(jm.listJobs()).to.have.length(0);
      });

      it('answers 413 to a body over the limit and keeps serving', async () => {
        const answer = await call(url, '/jobs', {
          method: 'POST',
          body: { module: 'ticker.ts', args: { pad: 'x'.repeat(5000) } },
        });
        expectError(answer, 413, /larger than 4096 bytes/);
        expect((await call(url, '/health')).status).to.equal(200);
      });
    });

    describe('GET /jobs', () => {
      it('lists summaries in submit order, a page at a time, with the total', async () => {
        const uuids = [];
        for (let i = 0; i < 3; i++) uuids.push(await submit({ module: 'ticker.ts' }));
        const all = await call(url, '/jobs');
        expect(all.status).to.equal(200);
        expect(all.body.total).to.equal(3);
        const jobs = all.body.jobs as Record<string, unknown>[];
        expect(jobs.map((j) => j.uuid)).to.deep.equal(uuids);
        expect(Object.keys(jobs[0] ?? {}).sort()).to.deep.equal(['name', 'startTime', 'status', 'uuid']);
        const page = await call(url, '/jobs?offset=1&limit=1');
        expect(page.body.total).to.equal(3);
        expect((page.body.jobs as { uuid: string }[]).map((j) => j.uuid)).to.deep.equal([uuids[1]]);
        expect((await call(url, '/jobs?offset=5')).body.jobs).to.deep.equal([]);
      });

      it('answers 400 to a bad offset or limit', async () => {
        for (const query of ['limit=1001', 'limit=-1', 'limit=abc', 'offset=1.5', 'offset=', 'limit=1e3']) {
          expectError(await call(url, `/jobs?${query}`), 400, /Query parameter/);
        }
      });
    });

    describe('one job', () => {
      it('answers its status object, and 404 for an unknown job on every job route', async () => {
        const uuid = await submit({ module: 'ticker.ts' });
        const answer = await call(url, `/jobs/${uuid}`);
        expect(answer.status).to.equal(200);
        expect(answer.body).to.include({ uuid, name: 'ticker', status: 'running' });
        expect(answer.body.plan).to.be.an('array').with.length.greaterThan(0);
        for (const [method, path] of [
          ['GET', ''],
          ['GET', '/metrics'],
          ['DELETE', ''],
          ['POST', '/pause'],
          ['POST', '/continue'],
          ['POST', '/stop'],
          ['POST', '/savepoint'],
        ] as const) {
          expectError(await call(url, `/jobs/no-such-job${path}`, { method }), 404, /no-such-job/);
        }
      });

      it('pauses, continues, takes a savepoint, stops and deletes it, with 409 when the state does not fit', async () => {
        const uuid = await submit({ module: 'ticker.ts', args: { intervalMs: 1 } });
        const paused = await call(url, `/jobs/${uuid}/pause`, { method: 'POST' });
        expect(paused.status).to.equal(200);
        expect(paused.body).to.nested.include({
          status: 'success',
          job_uuid: uuid,
          'job_status.status': 'paused',
        });
        expectError(await call(url, `/jobs/${uuid}/pause`, { method: 'POST' }), 409, /paused/);
        const savepoint = await call(url, `/jobs/${uuid}/savepoint`, { method: 'POST' });
        expect(savepoint.status).to.equal(200);
        expect(savepoint.body).to.include({ status: 'success', job_uuid: uuid });
        // The job is paused, so a second cut taken directly holds the same state (only its id and time differ).
        const direct = JSON.parse(JSON.stringify(await jm.snapshotJob(uuid))) as {
          job: string;
          operators: unknown;
        };
        expect(savepoint.body.savepoint).to.deep.include({ job: direct.job, operators: direct.operators });
        const continued = await call(url, `/jobs/${uuid}/continue`, { method: 'POST' });
        expect(continued.body).to.nested.include({ status: 'success', 'job_status.status': 'running' });
        expectError(await call(url, `/jobs/${uuid}/continue`, { method: 'POST' }), 409, /running/);
        expectError(await call(url, `/jobs/${uuid}`, { method: 'DELETE' }), 409, /force/);
        const stopped = await call(url, `/jobs/${uuid}/stop`, { method: 'POST' });
        expect(stopped.body).to.nested.include({ status: 'success', 'job_status.status': 'stopped' });
        expectError(await call(url, `/jobs/${uuid}/stop`, { method: 'POST' }), 409, /stopped/);
        const deleted = await call(url, `/jobs/${uuid}`, { method: 'DELETE' });
        expect(deleted.body).to.deep.equal({ status: 'success', job_uuid: uuid, deleted: true });
        expect(jm.getJobStatus(uuid).status).to.equal('not_found');
      });

      it('deletes a running job with ?force=true and answers 400 to another force value', async () => {
        const uuid = await submit({ module: 'ticker.ts' });
        expectError(await call(url, `/jobs/${uuid}?force=maybe`, { method: 'DELETE' }), 400, /force/);
        const deleted = await call(url, `/jobs/${uuid}?force=true`, { method: 'DELETE' });
        expect(deleted.status).to.equal(200);
        expect(jm.getJobStatus(uuid).status).to.equal('not_found');
      });

      it('answers its per-instance numbers at /jobs/:id/metrics', async () => {
        const uuid = await submit({ module: 'sensor-pipeline.ts', args: { intervalMs: 1 } });
        await waitFor(() => known(jm, uuid).operators.at(-1)!.out > 0, {
          timeoutMs: 5000,
          stepMs: 5,
        });
        const answer = await call(url, `/jobs/${uuid}/metrics`);
        expect(answer.status).to.equal(200);
        expect(answer.body).to.include({ job: uuid, jobName: 'sensor-pipeline', restarts: 0 });
        const instances = answer.body.instances as { operator: string; instance: number }[];
        expect(instances.filter((i) => i.operator === 'score').map((i) => i.instance)).to.deep.equal([0, 1]);
      });
    });

    describe('GET /metrics', () => {
      it('answers the Prometheus text format with every family for a running job', async () => {
        const uuid = await submit({ module: 'sensor-pipeline.ts', args: { intervalMs: 1 } });
        await waitFor(() => known(jm, uuid).services[0]!.calls > 0, {
          timeoutMs: 5000,
          stepMs: 5,
        });
        const answer = await call(url, '/metrics');
        expect(answer.status).to.equal(200);
        expect(answer.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
        const job = `job="${uuid}",job_name="sensor-pipeline"`;
        for (const family of [
          'sage_records_in_total',
          'sage_records_out_total',
          'sage_records_errors_total',
          'sage_queue_length',
          'sage_backpressure_ratio',
        ]) {
          expect(answer.text).to.contain(`# TYPE ${family} `);
          for (const instance of ['0', '1']) {
            expect(answer.text).to.contain(`${family}{${job},operator="score",instance="${instance}"}`);
          }
        }
        expect(answer.text).to.contain(`sage_records_in_total{${job},operator="readings",instance="0"} 0\n`);
        expect(answer.text).to.match(
          new RegExp(`sage_records_out_total\\{${job},operator="readings",instance="0"\\} [1-9]`),
        );
        expect(answer.text).to.contain(`sage_service_call_duration_seconds_count{${job},service="scorer"}`);
        expect(answer.text).to.contain(`sage_checkpoints_total{${job}} 0\n`);
        expect(answer.text).to.contain(`sage_job_restarts_total{${job}} 0\n`);
      });
    });

    describe('bad requests', () => {
      it('answers 404 to an unknown route and 405 to a method the route does not take', async () => {
        expectError(await call(url, '/nope'), 404, /No route/);
        expectError(await call(url, '/jobs/x/explode', { method: 'POST' }), 404, /No route/);
        const wrong = await call(url, '/jobs', { method: 'PUT' });
        expectError(wrong, 405, /GET or POST/);
        expectError(await call(url, '/dashboard/../../package.json'), 404);
        expectError(await call(url, '/dashboard/secret.txt'), 404, /no file/);
        expectError(await call(url, '/jobs/%E0%A4%A'), 400, /percent-encoding/);
      });

      it('survives malformed HTTP, a truncated body and a slow sender, and keeps serving', async () => {
        expect(await raw(port, 'GARBAGE\r\n\r\n')).to.match(/^HTTP\/1\.1 400/);
        expect(await raw(port, `GET /${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)).to.match(
          /^HTTP\/1\.1 431|^HTTP\/1\.1 400/,
        );
        await raw(port, 'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"module":');
        expect(
          await raw(port, 'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n'),
        ).to.match(/^HTTP\/1\.1 413/);
        const answer = await call(url, '/health');
        expect(answer.status).to.equal(200);
        expect(jm.listJobs()).to.have.length(0);
      });

      it('answers malformed HTTP with a JSON error saying what was wrong', async () => {
        const garbage = await raw(port, 'GARBAGE\r\n\r\n');
        expect(garbage).to.match(/^HTTP\/1\.1 400/);
        expect(rawBody(garbage)).to.include({ status: 'error' });
        expect(rawBody(garbage).message).to.match(/not valid HTTP/);
        const headers = await raw(
          port,
          `GET /health HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`,
        );
        expect(headers).to.match(/^HTTP\/1\.1 431/);
        expect(rawBody(headers).message).to.match(/headers are too large/);
      });

      it('answers 400 to a request target that is not a URL path, and reads one starting with // as a path', async () => {
        for (const target of ['http://[::1', 'http://x:99999/', '*']) {
          const text = await raw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
          expect(text, target).to.match(/^HTTP\/1\.1 400/);
          expect(rawBody(text).message).to.match(/not a valid URL path/);
        }
        for (const path of ['//jobs', '//[']) {
          const doubled = await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
          expect(doubled, path).to.match(/^HTTP\/1\.1 404/);
          expect(rawBody(doubled).message).to.match(/No route/);
        }
        expect((await call(url, '/health')).status).to.equal(200);
      });
    });
  });

  it('closes a connection whose request does not arrive whole within requestTimeoutMs with 408, then keeps serving', async () => {
    const server = new JobManagerHttpServer({ port: 0, requestTimeoutMs: 300 });
    const { port, url } = await server.start();
    try {
      // Without prompt checks Node notices the overdue request only after 30 s or more, long after the 9 s wait.
      const slowBody = await rawUnended(
        port,
        'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"module":',
        9000,
      );
      expect(slowBody).to.match(/^HTTP\/1\.1 408/);
      expect(rawBody(slowBody)).to.include({ status: 'error' });
      expect(rawBody(slowBody).message).to.match(/did not arrive in time/);
      const slowHeaders = await rawUnended(port, 'GET /jobs HTTP/1.1\r\nHost: x\r\n', 9000);
      expect(slowHeaders).to.match(/^HTTP\/1\.1 408/);
      expect((await call(url, '/health')).status).to.equal(200);
    } finally {
      await server.stop();
    }
  });

  it('stops the jobs of a JobManager it created itself, and leaves a given one running', async () => {
    const own = new JobManagerHttpServer({ port: 0, jobRoots: [SHARED_JOBS] });
    const { url } = await own.start();
    const mine = (await call(url, '/jobs', { method: 'POST', body: { module: 'ticker.ts' } })).body
      .job_uuid as string;
    await own.stop();
    expect(own.jobManager.getJobStatus(mine).status).to.equal('stopped');

    const jm = new JobManager();
    const shared = new JobManagerHttpServer({ port: 0, jobRoots: [SHARED_JOBS], jobManager: jm });
    const second = await shared.start();
    const theirs = (await call(second.url, '/jobs', { method: 'POST', body: { module: 'ticker.ts' } })).body
      .job_uuid as string;
    await shared.stop();
    expect(jm.getJobStatus(theirs).status).to.equal('running');
    jm.stopJob(theirs);
  });
});
