import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../../src/cli/run-cli.js';
import { TestIo } from '../../../cli/cli-test-io.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { call } from './http-client.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));

describe('sage jobmanager start --http', function () {
  this.timeout(10_000);

  it('serves the HTTP API on the same JobManager as the TCP server, with the token, until a stop signal', async () => {
    const io = new TestIo({ SAGE_TOKEN: 'cli-token' });
    const running = runCli(['jobmanager', 'start', '--port', '0', '--http', '0', '--job-root', JOBS], io);
    await waitFor(() => io.listening, { timeoutMs: 5000, what: 'the server to start' });
    const match = /HTTP API on (http:\/\/127\.0\.0\.1:\d+)\/jobs/.exec(io.stdout.text);
    expect(match, io.stdout.text).to.not.equal(null);
    const url = match?.[1] ?? '';
    expect((await call(url, '/jobs')).status).to.equal(401);
    const submitted = await call(url, '/jobs', {
      method: 'POST',
      token: 'cli-token',
      body: { module: 'ticker.ts' },
    });
    expect(submitted.status).to.equal(201);
    const status = await call(url, `/jobs/${String(submitted.body.job_uuid)}`, { token: 'cli-token' });
    expect(status.body).to.include({ name: 'ticker', status: 'running' });
    io.signal('SIGTERM');
    expect(await running).to.equal(0);
    let refused = false;
    try {
      await fetch(`${url}/health`);
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });

  it('answers a bad --http port with a usage error (exit 2)', async () => {
    const io = new TestIo();
    expect(await runCli(['jobmanager', 'start', '--port', '0', '--http', 'eighty'], io)).to.equal(2);
    expect(io.stderr.text).to.contain('--http must be a port');
  });

  it('documents --http in its help', async () => {
    const io = new TestIo();
    expect(await runCli(['jobmanager', 'start', '--help'], io)).to.equal(0);
    expect(io.stdout.text).to.contain('--http PORT');
  });
});
