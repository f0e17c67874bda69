import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { JobManagerHttpServer } from '../../../../src/kernel/jobmanager/http/job-manager-http-server.js';
import type { LogRecord } from '../../../../src/kernel/runtime/log/log-record.js';
import { recordLogger } from '../../../../src/kernel/runtime/log/record-logger.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { call } from './http-client.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));

describe('JobManagerHttpServer job event log', function () {
  this.timeout(10_000);

  it('logs to the logger it is given: submitted, failed with the reason, completed, and failed submits', async () => {
    const records: LogRecord[] = [];
    const logger = recordLogger({
      name: 'spec:http-server-log',
      component: 'http',
      level: 'info',
      sink: (r) => records.push(r),
    });
    const server = new JobManagerHttpServer({ port: 0, jobRoots: [JOBS], logger });
    const { url } = await server.start();
    try {
      const ok = await call(url, '/jobs', {
        method: 'POST',
        body: { module: 'ticker.ts', args: { limit: 2, intervalMs: 1 } },
      });
      const failing = await call(url, '/jobs', { method: 'POST', body: { module: 'failing-job.ts' } });
      const refused = await call(url, '/jobs', {
        method: 'POST',
        body: { module: 'throws-while-building.ts' },
      });
      expect([ok.status, failing.status, refused.status]).to.deep.equal([201, 201, 400]);
      const done = String(ok.body.job_uuid);
      const failed = String(failing.body.job_uuid);
      await waitFor(() => records.some((r) => r.message.includes(`(${failed}) failed`)), { timeoutMs: 5000 });
      await waitFor(() => records.some((r) => r.message.includes(`(${done}) completed`)), {
        timeoutMs: 5000,
      });
      const messages = records.map((r) => `${r.level} ${r.message}`);
      expect(messages).to.include(`info job ticker (${done}) submitted from ticker.ts (export "default")`);
      expect(messages.find((m) => m.startsWith(`warn job failing-job (${failed}) failed: `))).to.not.equal(
        undefined,
      );
      expect(
        messages.find((m) => /^warn submit of throws-while-building\.ts .* failed: .*threw/.test(m)),
      ).to.not.equal(undefined);
      expect(records.every((r) => /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO|WARN) \[http\] /.test(r.line))).to.equal(
        true,
      );
    } finally {
      await server.stop();
    }
  });
});
