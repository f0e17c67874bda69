import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../../src/errors/usage-error.js';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import { RawConnection, type Reply } from './raw-connection.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));

function lengthHeader(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length, 0);
  return b;
}

/** Records the victim job's sink has received so far. */
function sunk(server: JobManagerServer, uuid: string): number {
  const status = server.jobManager.getJobStatus(uuid);
  if (status.status === 'not_found') return -1;
  return status.operators.find((o) => o.operator === 'drop')?.in ?? -1;
}

async function eventually(condition: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

describe('JobManagerServer', function () {
  this.timeout(10_000);
  let server: JobManagerServer;
  let port: number;
  const open: RawConnection[] = [];

  async function connection(): Promise<RawConnection> {
    const c = await RawConnection.open(port);
    open.push(c);
    return c;
  }

  beforeEach(async () => {
    server = new JobManagerServer({ port: 0, jobRoots: [JOBS], frameTimeoutMs: 200, idleTimeoutMs: 400 });
    port = (await server.start()).port;
  });

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server.stop();
  });

  describe('protocol', () => {
    it('answers health_check, echoing the request_id', async () => {
      const c = await connection();
      const reply = await c.ask({ action: 'health_check', request_id: 'h1' });
      expect(reply).to.include({ request_id: 'h1', status: 'success' });
      expect(reply.daemon_status).to.include({ status: 'healthy' });
    });

    it('answers several requests sent in one write on one connection, each with its own request_id', async () => {
      const c = await connection();
      const ids = Array.from({ length: 20 }, (_, i) => `r${i}`);
      const actions = ['health_check', 'list_jobs', 'get_server_info'];
      c.sendBytes(
        Buffer.concat(ids.map((id, i) => Buffer.from(frameOf({ action: actions[i % 3], request_id: id })))),
      );
      const replies = await c.replyCount(ids.length);
      expect(replies.map((r) => r.request_id).sort()).to.deep.equal([...ids].sort());
      expect(replies.every((r) => r.status === 'success')).to.equal(true);
      expect(replies.find((r) => r.request_id === 'r2')).to.have.nested.property('server_info.port', port);
    });

    it('drives a job through submit, status, pause, continue, stop and delete', async () => {
      const c = await connection();
      const submitted = await c.ask({
        action: 'submit_job',
        request_id: 1,
        module: 'ticker.ts',
        args: { intervalMs: 2 },
      });
      expect(submitted.status).to.equal('success');
      const uuid = submitted.job_uuid as string;
      const status = await c.ask({ action: 'get_job_status', request_id: 2, job_uuid: uuid });
      expect(status).to.include({ status: 'success' });
      expect(status.job_status).to.include({ uuid, name: 'ticker', status: 'running', autostop: false });
      const listed = await c.ask({ action: 'list_jobs', request_id: 3 });
      expect((listed.jobs as Reply[]).map((j) => j.uuid)).to.include(uuid);
      expect((await c.ask({ action: 'pause_job', request_id: 4, job_uuid: uuid })).job_status).to.include({
        status: 'paused',
      });
      expect((await c.ask({ action: 'continue_job', request_id: 5, job_uuid: uuid })).job_status).to.include({
        status: 'running',
      });
      expect((await c.ask({ action: 'stop_job', request_id: 6, job_uuid: uuid })).job_status).to.include({
        status: 'stopped',
      });
      expect(await c.ask({ action: 'delete_job', request_id: 7, job_uuid: uuid })).to.include({
        status: 'success',
        deleted: true,
      });
      const gone = await c.ask({ action: 'get_job_status', request_id: 8, job_uuid: uuid });
      expect(gone).to.include({ status: 'success' });
      expect(gone.job_status).to.include({ status: 'not_found' });
    });

    it('passes the export, args, name and autostop to the job and answers right after the start', async () => {
      const c = await connection();
      const reply = await c.ask({
        action: 'submit_job',
        request_id: 1,
        module: 'ticker.ts',
        export: 'ticker',
        args: { limit: 5, intervalMs: 1 },
        name: 'five',
        autostop: true,
      });
      const uuid = reply.job_uuid as string;
      expect(await eventually(() => server.jobManager.getJobStatus(uuid).status === 'completed')).to.equal(
        true,
      );
      const status = server.jobManager.getJobStatus(uuid);
      expect(status).to.include({ name: 'five', autostop: true });
      expect(sunk(server, uuid)).to.equal(5);
    });

    it('refuses to delete a running job without force, and deletes it with force', async () => {
      const c = await connection();
      const uuid = (await c.ask({ action: 'submit_job', request_id: 1, module: 'ticker.ts' }))
        .job_uuid as string;
      const refused = await c.ask({ action: 'delete_job', request_id: 2, job_uuid: uuid });
      expect(refused).to.include({ status: 'error', error_type: 'JobStateError' });
      expect(refused.message).to.contain('force');
      expect(await c.ask({ action: 'delete_job', request_id: 3, job_uuid: uuid, force: true })).to.include({
        status: 'success',
      });
      expect(server.jobManager.getJobStatus(uuid).status).to.equal('not_found');
    });

    it('reports a job that fails at run time in its status', async () => {
      const c = await connection();
      const uuid = (await c.ask({ action: 'submit_job', request_id: 1, module: 'failing-job.ts' }))
        .job_uuid as string;
      expect(await eventually(() => server.jobManager.getJobStatus(uuid).status === 'failed')).to.equal(true);
      const status = await c.ask({ action: 'get_job_status', request_id: 2, job_uuid: uuid });
      expect(status).to.include({ status: 'success' });
      expect(status.job_status).to.include({ status: 'failed' });
      expect((status.job_status as Reply).error).to.contain('two is not allowed');
    });

    it('answers a request whose sender half-closed the connection', async () => {
      const c = await connection();
      c.send({ action: 'health_check', request_id: 'last' });
      c.socket.end();
      const [reply] = await c.replyCount(1);
      expect(reply).to.include({ request_id: 'last', status: 'success' });
    });

    it('stops its jobs when it stops', async () => {
      const c = await connection();
      const uuid = (await c.ask({ action: 'submit_job', request_id: 1, module: 'ticker.ts' }))
        .job_uuid as string;
      await server.stop();
      expect(server.jobManager.getJobStatus(uuid).status).to.equal('stopped');
      expect(await c.whenClosed()).to.equal(true);
    });
  });

  describe('under attack', () => {
    let victim: string;

    beforeEach(async () => {
      const c = await connection();
      const reply = await c.ask({
        action: 'submit_job',
        request_id: 'v',
        module: 'ticker.ts',
        args: { intervalMs: 2 },
      });
      victim = reply.job_uuid as string;
      c.close();
    });

    afterEach(async () => {
      const c = await RawConnection.open(port);
      const health = await c.ask({ action: 'health_check', request_id: 'after' });
      c.close();
      expect(health.status, 'health_check after the attack').to.equal('success');
      expect(server.jobManager.getJobStatus(victim).status, 'victim job').to.equal('running');
      const before = sunk(server, victim);
      expect(await eventually(() => sunk(server, victim) > before), 'victim job makes progress').to.equal(
        true,
      );
    });

    it('answers malformed JSON with an error and keeps the connection usable', async () => {
      const c = await connection();
      const bad = Buffer.from('{"action": "health_check", ');
      c.sendBytes(Buffer.concat([lengthHeader(bad.length), bad]));
      const [reply] = await c.replyCount(1);
      expect(reply).to.include({ status: 'error', request_id: null, error_type: 'ProtocolError' });
      expect(reply?.message).to.match(/^Malformed JSON/);
      expect((await c.ask({ action: 'health_check', request_id: 2 })).status).to.equal('success');
    });

    it('survives random bytes', async () => {
      const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { numRuns: 20, seed: 42 });
      for (const bytes of samples) {
        const c = await connection();
        c.sendBytes(bytes);
        c.socket.end();
      }
      expect(server.address?.port).to.equal(port);
    });

    it('answers missing and mistyped fields with an error naming the field', async () => {
      const c = await connection();
      const noUuid = await c.ask({ action: 'pause_job', request_id: 1 });
      expect(noUuid).to.include({ status: 'error', request_id: 1 });
      expect(noUuid.message).to.contain('"job_uuid"');
      const noModule = await c.ask({ action: 'submit_job', request_id: 2, module: ['x'] });
      expect(noModule.message).to.contain('"module"');
      c.send({ action: 'health_check' });
      const [, , noId] = await c.replyCount(3);
      expect(noId).to.include({ status: 'error', request_id: null });
      expect(noId?.message).to.contain('request_id');
    });

    it('answers an unknown action with "Unknown action: <x>"', async () => {
      const c = await connection();
      const reply = await c.ask({ action: 'rm_rf', request_id: 'u' });
      expect(reply).to.include({ status: 'error', request_id: 'u', message: 'Unknown action: rm_rf' });
    });

    it('answers control of an unknown job with JobNotFoundError, and its status with not_found', async () => {
      const c = await connection();
      for (const action of ['pause_job', 'continue_job', 'stop_job', 'delete_job']) {
        const reply = await c.ask({ action, request_id: action, job_uuid: 'no-such-job' });
        expect(reply, action).to.include({ status: 'error', error_type: 'JobNotFoundError' });
        expect(reply.message).to.contain('no-such-job');
      }
      const status = await c.ask({ action: 'get_job_status', request_id: 's', job_uuid: 'no-such-job' });
      expect(status).to.include({ status: 'success' });
      expect(status.job_status).to.include({ status: 'not_found' });
    });

    it('refuses a frame over 10 MiB and closes that connection', async () => {
      const c = await connection();
      c.sendBytes(Buffer.concat([lengthHeader(10 * 1024 * 1024 + 1), Buffer.from('{"action":')]));
      const [reply] = await c.replyCount(1);
      expect(reply).to.include({ status: 'error', error_type: 'ProtocolError' });
      expect(reply?.message).to.contain('exceeds the limit');
      expect(await c.whenClosed()).to.equal(true);
    });

    it('closes a connection holding a half-sent frame', async () => {
      const c = await connection();
      const frame = frameOf({ action: 'health_check', request_id: 'half' });
      c.sendBytes(frame.subarray(0, frame.length - 3));
      expect(await c.whenClosed()).to.equal(true);
      expect(c.replies[0]?.message).to.match(/^Incomplete frame/);
    });

    it('answers a submit taken before a frame over the limit, then closes with the error', async () => {
      const c = await connection();
      c.sendBytes(
        Buffer.concat([
          frameOf({ action: 'submit_job', request_id: 'sub', module: 'ticker.ts' }),
          lengthHeader(server.info().max_frame_bytes + 1),
        ]),
      );
      expect(await c.whenClosed()).to.equal(true);
      const submitted = c.replies.find((r) => r.request_id === 'sub');
      expect(submitted, JSON.stringify(c.replies)).to.include({ status: 'success' });
      expect(server.jobManager.getJobStatus(submitted?.job_uuid as string).status).to.equal('running');
      expect(c.replies.at(-1)?.message).to.contain('exceeds the limit');
    });

    it('tells a client that half-closes in the middle of a frame, answering the whole frames before it', async () => {
      const c = await connection();
      const frame = frameOf({ action: 'health_check', request_id: 'cut' });
      c.sendBytes(
        Buffer.concat([frameOf({ action: 'health_check', request_id: 'whole' }), frame.subarray(0, 9)]),
      );
      c.socket.end();
      expect(await c.whenClosed()).to.equal(true);
      expect(c.replies.find((r) => r.request_id === 'whole')).to.include({ status: 'success' });
      const cut = c.replies.find((r) => r.request_id === null);
      expect(cut).to.include({ status: 'error', error_type: 'ProtocolError' });
      expect(cut?.message).to.match(/^Incomplete frame: the connection ended after 9 bytes of a frame/);
      expect(server.bufferedBytes).to.equal(0);
    });

    it('closes an idle connection', async () => {
      const c = await connection();
      expect(await c.whenClosed()).to.equal(true);
      expect(c.replies[0]?.message).to.match(/idle/);
    });

    it('serves 100 concurrent clients', async () => {
      const clients = await Promise.all(Array.from({ length: 100 }, () => connection()));
      const replies = await Promise.all(
        clients.map(async (c, i) => [
          await c.ask({ action: 'health_check', request_id: `h${i}` }),
          await c.ask({ action: 'get_job_status', request_id: `s${i}`, job_uuid: victim }),
        ]),
      );
      expect(replies.flat().filter((r) => r.status === 'success')).to.have.length(200);
    });

    it('refuses job modules outside the job roots, through "..", absolute paths and symbolic links', async () => {
      const outside = await mkdtemp(join(tmpdir(), 'sage-outside-'));
      const linkDir = await mkdtemp(join(tmpdir(), 'sage-root-'));
      try {
        await writeFile(
          join(outside, 'evil.mjs'),
          'export default () => { throw new Error("should never run"); };\n',
        );
        await symlink(join(outside, 'evil.mjs'), join(linkDir, 'link.mjs'));
        await mkdir(join(linkDir, 'sub'));
        await symlink(outside, join(linkDir, 'sub', 'dir'));
        await server.stop();
        server = new JobManagerServer({ port: 0, jobRoots: [JOBS, linkDir] });
        port = (await server.start()).port;
        const c2 = await RawConnection.open(port);
        const c3 = await RawConnection.open(port);
        open.push(c2, c3);
        const resubmitted = await c3.ask({
          action: 'submit_job',
          request_id: 'v',
          module: 'ticker.ts',
          args: { intervalMs: 2 },
        });
        victim = resubmitted.job_uuid as string;
        const attempts = [
          '../../../package.json',
          '../ticker-outside.ts',
          join(outside, 'evil.mjs'),
          'link.mjs',
          'sub/dir/evil.mjs',
          join('sub', '..', '..', basename(outside), 'evil.mjs'),
          '/etc/passwd',
          'ticker.ts\0.mjs',
          'missing.ts',
        ];
        for (const module of attempts) {
          const reply = await c2.ask({ action: 'submit_job', request_id: module, module });
          expect(reply, module).to.include({ status: 'error', error_type: 'ModuleNotAllowedError' });
        }
        expect(server.jobManager.listJobs()).to.have.length(1);
      } finally {
        await rm(outside, { recursive: true, force: true });
        await rm(linkDir, { recursive: true, force: true });
      }
    });

    it('answers a builder that throws or rejects with an error carrying its message', async () => {
      const c = await connection();
      const thrown = await c.ask({
        action: 'submit_job',
        request_id: 1,
        module: 'throws-while-building.ts',
        args: { x: 1 },
      });
      expect(thrown).to.include({ status: 'error', error_type: 'JobModuleError' });
      expect(thrown.message).to.contain('refusing to build with {"x":1}');
      const rejected = await c.ask({
        action: 'submit_job',
        request_id: 2,
        module: 'rejects-while-building.ts',
      });
      expect(rejected.message).to.contain('no database connection');
      const empty = await c.ask({ action: 'submit_job', request_id: 3, module: 'empty-job.ts' });
      expect(empty.message).to.contain('declared no pipeline');
      const missing = await c.ask({
        action: 'submit_job',
        request_id: 4,
        module: 'ticker.ts',
        export: 'nope',
      });
      expect(missing.message).to.contain('no builder function exported as "nope"');
      const notFunction = await c.ask({
        action: 'submit_job',
        request_id: 5,
        module: 'ticker.ts',
        export: 'answer',
      });
      expect(notFunction).to.include({ status: 'error', error_type: 'JobModuleError' });
    });

    it('answers every extra connection over the cap with an error and closes it', async () => {
      await server.stop();
      server = new JobManagerServer({ port: 0, jobRoots: [JOBS], maxConnections: 3 });
      port = (await server.start()).port;
      const keep = [await connection(), await connection()];
      victim = (
        await keep[0]!.ask({
          action: 'submit_job',
          request_id: 'v',
          module: 'ticker.ts',
          args: { intervalMs: 2 },
        })
      ).job_uuid as string;
      const third = await connection();
      expect((await third.ask({ action: 'health_check', request_id: 1 })).status).to.equal('success');
      const extra = await connection();
      expect(await extra.whenClosed()).to.equal(true);
      expect(extra.replies[0]?.message).to.contain('Too many connections');
      third.close();
      await eventually(() => server.info().connections < 3);
    });
  });

  describe('with a token', () => {
    let secured: JobManagerServer;
    let securedPort: number;

    beforeEach(async () => {
      secured = new JobManagerServer({ port: 0, jobRoots: [JOBS], token: 's3cret' });
      securedPort = (await secured.start()).port;
    });

    afterEach(async () => {
      await secured.stop();
    });

    it('refuses requests without the token or with a wrong one, and closes the connection', async () => {
      for (const token of [undefined, 'wrong', '', 's3cret ', 42]) {
        const c = await RawConnection.open(securedPort);
        open.push(c);
        const reply = await c.ask({
          action: 'list_jobs',
          request_id: 'x',
          ...(token !== undefined ? { token } : {}),
        });
        expect(reply, String(token)).to.include({
          status: 'error',
          error_type: 'AuthenticationError',
          request_id: 'x',
        });
        expect(await c.whenClosed()).to.equal(true);
      }
      expect(secured.jobManager.listJobs()).to.have.length(0);
    });

    it('accepts requests with the right token', async () => {
      const c = await RawConnection.open(securedPort);
      open.push(c);
      const reply = await c.ask({
        action: 'submit_job',
        request_id: 1,
        module: 'ticker.ts',
        token: 's3cret',
      });
      expect(reply.status).to.equal('success');
      expect((await c.ask({ action: 'health_check', request_id: 2, token: 's3cret' })).status).to.equal(
        'success',
      );
      const info = await c.ask({ action: 'get_server_info', request_id: 3, token: 's3cret' });
      expect(info.server_info).to.include({ auth_required: true });
    });
  });

  describe('start', () => {
    it('refuses a non-loopback address without a token', async () => {
      for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
        const s = new JobManagerServer({ host, port: 0 });
        const error = await s.start().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, host).to.be.instanceOf(UsageError);
        expect((error as Error).message).to.contain('without a token');
      }
    });

    it('refuses a token shorter than 16 characters off loopback, and takes one of 16', async () => {
      for (const token of ['x', 'fifteen-chars-x']) {
        const s = new JobManagerServer({ host: '0.0.0.0', port: 0, token });
        const error = await s.start().catch((e: unknown) => e);
        await s.stop();
        expect(error, token).to.be.instanceOf(UsageError);
        expect((error as Error).message).to.contain('at least 16');
      }
      const remote = new JobManagerServer({ host: '0.0.0.0', port: 0, token: 'sixteen-chars-xx' });
      expect((await remote.start()).port).to.be.greaterThan(0);
      await remote.stop();
      const local = new JobManagerServer({ port: 0, token: 'x' });
      expect((await local.start()).port).to.be.greaterThan(0);
      await local.stop();
    });

    it('refuses a missing job root and an empty token', async () => {
      const missing = await new JobManagerServer({ port: 0, jobRoots: ['/nonexistent/sage/jobs'] })
        .start()
        .catch((e: unknown) => e);
      expect(missing).to.be.instanceOf(UsageError);
      const empty = await new JobManagerServer({ port: 0, token: '' }).start().catch((e: unknown) => e);
      expect(empty).to.be.instanceOf(UsageError);
    });

    it('refuses every submit when it has no job roots', async () => {
      const s = new JobManagerServer({ port: 0 });
      const { port: p } = await s.start();
      try {
        const c = await RawConnection.open(p);
        open.push(c);
        const reply = await c.ask({ action: 'submit_job', request_id: 1, module: 'ticker.ts' });
        expect(reply).to.include({ error_type: 'ModuleNotAllowedError' });
        expect(reply.message).to.contain('--job-root');
      } finally {
        await s.stop();
      }
    });
  });
});

function frameOf(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  return Buffer.concat([lengthHeader(json.length), json]);
}
