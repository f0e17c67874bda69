import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { RemoteEnvironment } from '../../../src/core/api/remote-environment.js';
import { ConnectionError } from '../../../src/errors/connection-error.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { JobStateError } from '../../../src/errors/job-state-error.js';
import { JobManagerServer } from '../../../src/kernel/jobmanager/server/job-manager-server.js';

const JOBS = fileURLToPath(new URL('../../fixtures/jobs', import.meta.url));

describe('RemoteEnvironment', () => {
  let server: JobManagerServer;
  let port: number;
  let env: RemoteEnvironment;

  beforeEach(async () => {
    server = new JobManagerServer({ port: 0, jobRoots: [JOBS] });
    port = (await server.start()).port;
    env = new RemoteEnvironment('remote-demo', { port, pollIntervalMs: 20 });
  });

  afterEach(async () => {
    env.disconnect();
    await server.stop();
  });

  it('submits a job module under its own name and proxies status, pause, continue, stop and delete', async () => {
    const uuid = await env.submit({ module: 'ticker.ts', args: { intervalMs: 2 } });
    expect(env.jobId).to.equal(uuid);
    expect(await env.getJobStatus()).to.include({ uuid, name: 'remote-demo', status: 'running' });
    expect((await env.listJobs()).jobs.map((j) => j.uuid)).to.deep.equal([uuid]);
    expect((await env.pauseJob()).status).to.equal('paused');
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('paused');
    expect((await env.continueJob(uuid)).status).to.equal('running');
    expect((await env.stopJob()).status).to.equal('stopped');
    await env.deleteJob();
    expect((await env.getJobStatus()).status).to.equal('not_found');
    expect((await env.healthCheck()).jobs).to.equal(0);
  });

  it('with autostop, resolves once the job completed', async () => {
    const uuid = await env.submit({
      module: 'ticker.ts',
      args: { limit: 10, intervalMs: 1 },
      autostop: true,
    });
    const status = server.jobManager.getJobStatus(uuid);
    expect(status.status).to.equal('completed');
    if (status.status !== 'not_found')
      expect(status.operators.find((o) => o.operator === 'drop')?.in).to.equal(10);
  });

  it('with autostop, rejects with JobFailedError when the job failed', async () => {
    const error = await env.submit({ module: 'failing-job.ts', autostop: true }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as Error).message).to.contain('two is not allowed');
  });

  it('close() stops the current job; disconnect() leaves it running', async () => {
    const kept = await env.submit({ module: 'ticker.ts' });
    env.disconnect();
    expect(server.jobManager.getJobStatus(kept).status).to.equal('running');
    const other = new RemoteEnvironment('closing', { port });
    const stopped = await other.submit({ module: 'ticker.ts' });
    await other.close();
    expect(server.jobManager.getJobStatus(stopped).status).to.equal('stopped');
    expect(server.jobManager.getJobStatus(kept).status).to.equal('running');
  });

  it('refuses control calls before any submit', async () => {
    expect(await env.pauseJob().catch((e: unknown) => e)).to.be.instanceOf(JobStateError);
  });

  it('reports an unreachable server as a ConnectionError', async () => {
    await server.stop();
    const error = await env.submit({ module: 'ticker.ts' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConnectionError);
  });
});
