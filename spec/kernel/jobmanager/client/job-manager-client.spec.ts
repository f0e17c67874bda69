import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AuthenticationError } from '../../../../src/errors/authentication-error.js';
import { ConnectionError } from '../../../../src/errors/connection-error.js';
import { InvalidArgumentError } from '../../../../src/errors/invalid-argument-error.js';
import { JobNotFoundError } from '../../../../src/errors/job-not-found-error.js';
import { ProtocolError } from '../../../../src/errors/protocol-error.js';
import { RequestFailedError } from '../../../../src/errors/request-failed-error.js';
import { RequestTimeoutError } from '../../../../src/errors/request-timeout-error.js';
import { JobManagerClient } from '../../../../src/kernel/jobmanager/client/job-manager-client.js';
import { FrameDecoder } from '../../../../src/kernel/jobmanager/protocol/frame-decoder.js';
import { encodeFrame } from '../../../../src/kernel/jobmanager/protocol/frame-encoder.js';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import { smallJobs } from '../fixtures/small-jobs.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));

/** A fake server: `onRequests` sees every decoded request of a connection and may answer on the socket. */
async function fakeServer(
  onRequest: (socket: Socket, request: Record<string, unknown>) => void,
): Promise<[Server, number]> {
  const server = createServer((socket) => {
    const decoder = new FrameDecoder();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk))
        if (frame.ok) onRequest(socket, frame.message as Record<string, unknown>);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return [server, address.port];
}

async function closedPort(): Promise<number> {
  const [server, port] = await fakeServer(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('JobManagerClient', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  function track(client: JobManagerClient): JobManagerClient {
    cleanup.push(() => {
      client.close();
    });
    return client;
  }

  it('refuses a bad host, port, token or timeout when constructed, with an InvalidArgumentError', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ port: 70_000 }, /port must be an integer from 1 to 65535.*got number 70000/],
      [{ port: 0 }, /port must be an integer/],
      [{ port: 1.5 }, /port must be an integer/],
      [{ port: '19001' }, /port must be an integer.*got string "19001"/],
      [{ host: '' }, /host must be a non-empty string/],
      [{ token: 42 }, /token must be a string/],
      [{ timeoutMs: -5 }, /timeoutMs must be a positive number of milliseconds/],
      [{ timeoutMs: Number.NaN }, /timeoutMs must be a positive number/],
      [{ submitTimeoutMs: Number.POSITIVE_INFINITY }, /submitTimeoutMs .* at most 2147483647/],
      [{ connectTimeoutMs: 0 }, /connectTimeoutMs must be a positive number/],
    ];
    for (const [options, message] of bad) {
      expect(() => new JobManagerClient(options), JSON.stringify(options)).to.throw(
        InvalidArgumentError,
        message,
      );
    }
  });

  it('fails with a clear ConnectionError when nothing listens', async () => {
    const port = await closedPort();
    const client = track(new JobManagerClient({ port }));
    const error = await client.healthCheck().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConnectionError);
    expect((error as Error).message)
      .to.contain(`127.0.0.1:${port}`)
      .and.to.contain('connection refused');
  });

  it('times out a request the server never answers', async () => {
    const [server, port] = await fakeServer(() => undefined);
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port, timeoutMs: 100 }));
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RequestTimeoutError);
    expect((error as Error).message)
      .to.contain('list_jobs')
      .and.to.contain('100 ms');
  });

  it('waits submitTimeoutMs, not timeoutMs, for submit_job (the server builds the module first)', async () => {
    const [server, port] = await fakeServer((socket, request) => {
      const answer = (): void => {
        socket.write(encodeFrame({ request_id: request.request_id, status: 'success', job_uuid: 'u-1' }));
      };
      if (request.action === 'submit_job') setTimeout(answer, 150);
    });
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port, timeoutMs: 50, submitTimeoutMs: 2_000 }));
    expect(await client.submitJob({ module: 'slow-builder.mjs' })).to.equal('u-1');
    const listed = await client.listJobs().catch((e: unknown) => e);
    expect(listed).to.be.instanceOf(RequestTimeoutError);
    expect((listed as Error).message).to.contain('50 ms');
  });

  it('gives up on submit_job after submitTimeoutMs', async () => {
    const [server, port] = await fakeServer(() => undefined);
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port, timeoutMs: 20, submitTimeoutMs: 80 }));
    const error = await client.submitJob({ module: 'stuck.mjs' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RequestTimeoutError);
    expect((error as Error).message)
      .to.contain('submit_job')
      .and.to.contain('80 ms');
  });

  it('fails pending requests with a ConnectionError when the server closes the connection', async () => {
    const [server, port] = await fakeServer((socket) => socket.destroy());
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port }));
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConnectionError);
    expect((error as Error).message).to.contain('closed the connection');
  });

  it('correlates concurrent requests by request_id when answers come out of order', async () => {
    const held: [Socket, Record<string, unknown>][] = [];
    const [server, port] = await fakeServer((socket, request) => {
      held.push([socket, request]);
      if (held.length === 20) {
        for (const [s, r] of held.reverse()) {
          s.write(
            encodeFrame({
              request_id: r.request_id,
              status: 'success',
              job_status: { uuid: r.job_uuid, status: 'running' },
            }),
          );
        }
      }
    });
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port }));
    const uuids = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    const statuses = await Promise.all(uuids.map((u) => client.getJobStatus(u)));
    expect(statuses.map((s) => s.uuid)).to.deep.equal(uuids);
    expect(new Set(held.map(([, r]) => r.request_id)).size).to.equal(20);
  });

  it('rejects a success answer that lacks the fields its action promises with a ProtocolError', async () => {
    const [server, port] = await fakeServer((socket, request) => {
      const extra = request.action === 'get_job_status' ? { job_uuid: 5 } : { job_uuid: 5, jobs: 'none' };
      socket.write(encodeFrame({ request_id: request.request_id, status: 'success', ...extra }));
    });
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port }));
    const submitted = await client.submitJob({ module: 'a.mjs' }).catch((e: unknown) => e);
    expect(submitted).to.be.instanceOf(ProtocolError);
    expect((submitted as Error).message).to.match(/submit_job .*"job_uuid" is a number, not a string/);
    const status = await client.getJobStatus('u').catch((e: unknown) => e);
    expect(status).to.be.instanceOf(ProtocolError);
    expect((status as Error).message).to.match(/"job_status" is missing/);
    const listed = await client.listJobs().catch((e: unknown) => e);
    expect(listed).to.be.instanceOf(ProtocolError);
    expect((listed as Error).message).to.match(/"jobs" is a string, not an array/);
    await client.deleteJob('u'); // delete_job promises no fields: it resolves
  });

  it('rejects an answer whose status is neither success nor error with a ProtocolError', async () => {
    const [server, port] = await fakeServer((socket, request) => {
      socket.write(encodeFrame({ request_id: request.request_id, status: 'maybe', daemon_status: {} }));
    });
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port }));
    const error = await client.healthCheck().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProtocolError);
    expect((error as Error).message).to.match(/status string "maybe", neither 'success' nor 'error'/);
  });

  it('fails at once with a ConnectionError when the server answers something that is not a JSON object', async () => {
    for (const payload of ['42', '[1]', 'null']) {
      const [server, port] = await fakeServer((socket) => {
        const body = Buffer.from(payload);
        const header = Buffer.alloc(4);
        header.writeUInt32BE(body.length, 0);
        socket.write(Buffer.concat([header, body]));
      });
      cleanup.push(() => server.close());
      // Ignored, such an answer used to leave the request waiting for its whole timeout.
      const client = track(new JobManagerClient({ port, timeoutMs: 60_000 }));
      const error = await client.healthCheck().catch((e: unknown) => e);
      expect(error, payload).to.be.instanceOf(ConnectionError);
      expect((error as Error).message).to.match(/a response must be a JSON object/);
    }
  });

  it('does not blame a late answer to a timed-out request for a later lost connection', async () => {
    let first: unknown;
    const [server, port] = await fakeServer((socket, request) => {
      if (first === undefined) {
        first = request.request_id;
        return;
      }
      socket.write(encodeFrame({ request_id: first, status: 'error', message: 'late news about the first' }));
      socket.destroy();
    });
    cleanup.push(() => server.close());
    const client = track(new JobManagerClient({ port, timeoutMs: 100 }));
    expect(await client.healthCheck().catch((e: unknown) => e)).to.be.instanceOf(RequestTimeoutError);
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConnectionError);
    expect((error as Error).message).to.contain('closed the connection before answering');
    expect((error as Error).message).not.to.contain('late news');
  });

  it('turns error responses into typed errors', async () => {
    const server = new JobManagerServer({ port: 0, jobRoots: [JOBS] });
    const { port } = await server.start();
    cleanup.push(() => server.stop());
    const client = track(new JobManagerClient({ port }));
    const notFound = await client.pauseJob('missing-uuid').catch((e: unknown) => e);
    expect(notFound).to.be.instanceOf(JobNotFoundError);
    expect((notFound as JobNotFoundError).uuid).to.equal('missing-uuid');
    const failed = await client.submitJob({ module: 'throws-while-building.ts' }).catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(RequestFailedError);
    expect(failed).to.include({ action: 'submit_job', errorType: 'JobModuleError' });
    expect((failed as Error).message).to.contain('threw while building');
  });

  it('lists a page of job summaries with the total', async () => {
    const server = new JobManagerServer({ port: 0 });
    const { port } = await server.start();
    cleanup.push(() => server.stop());
    await smallJobs(server.jobManager, 4);
    const uuids = server.jobManager.listJobs().map((j) => j.uuid);
    const client = track(new JobManagerClient({ port }));
    const page = await client.listJobs({ offset: 1, limit: 2 });
    expect(page.total).to.equal(4);
    expect(page.jobs.map((j) => j.uuid)).to.deep.equal(uuids.slice(1, 3));
    expect(page.jobs[0]).to.not.have.any.keys('plan', 'services');
    expect((await client.listJobs()).jobs).to.have.length(4);
  });

  it('sends the token and reports a wrong one as AuthenticationError', async () => {
    const server = new JobManagerServer({ port: 0, token: 'right' });
    const { port } = await server.start();
    cleanup.push(() => server.stop());
    expect((await track(new JobManagerClient({ port, token: 'right' })).healthCheck()).status).to.equal(
      'healthy',
    );
    const error = await track(new JobManagerClient({ port, token: 'wrong' }))
      .healthCheck()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AuthenticationError);
  });

  it('authenticates a new connection with a small request before a first request over 64 KiB', async () => {
    const token = 'a-token-of-some-length';
    const server = new JobManagerServer({ port: 0, token, jobRoots: [JOBS] });
    const { port } = await server.start();
    cleanup.push(() => server.stop());
    const client = track(new JobManagerClient({ port, token }));
    const uuid = await client.submitJob({
      module: 'ticker.ts',
      args: { limit: 1, intervalMs: 1, padding: 'p'.repeat(200 * 1024) },
    });
    expect((await client.getJobStatus(uuid)).status).to.not.equal('not_found');
    const wrong = await track(new JobManagerClient({ port, token: 'not-the-token-at-all' }))
      .submitJob({ module: 'ticker.ts', args: { padding: 'p'.repeat(200 * 1024) } })
      .catch((e: unknown) => e);
    expect(wrong).to.be.instanceOf(AuthenticationError);
  });

  it('reconnects after the server closed an idle connection', async () => {
    const server = new JobManagerServer({ port: 0, idleTimeoutMs: 50 });
    const { port } = await server.start();
    cleanup.push(() => server.stop());
    const client = track(new JobManagerClient({ port }));
    expect((await client.healthCheck()).status).to.equal('healthy');
    await new Promise((r) => setTimeout(r, 150));
    expect(server.info().connections).to.equal(0);
    expect((await client.healthCheck()).status).to.equal('healthy');
  });

  it('fails waiting requests when closed and refuses later ones', async () => {
    const [server, port] = await fakeServer(() => undefined);
    cleanup.push(() => server.close());
    const client = new JobManagerClient({ port });
    const waiting = client.listJobs().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    client.close();
    expect(await waiting).to.be.instanceOf(ConnectionError);
    expect(await client.healthCheck().catch((e: unknown) => e)).to.be.instanceOf(ConnectionError);
  });
});
