import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../src/kernel/jobmanager/job-status.js';

const fixture = fileURLToPath(new URL('./fixtures/finished-job-memory.ts', import.meta.url));

describe('JobInfo of a finished job', function () {
  this.timeout(20_000);

  it('stays queryable without holding on to the data its sources read', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fixture],
        { timeout: 15_000 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`${error.message}\n${stderr}`));
          else resolve(stdout);
        },
      );
    });
    expect(JSON.parse(output)).to.deep.equal({ collected: true, status: 'completed' });
  });
});

describe('JobInfo status', () => {
  it("names the backend of an in-process job: 'in-process'", async () => {
    const jobManager = new JobManager();
    const env = new LocalEnvironment('plain', { jobManager });
    env.fromBatch([1, 2]).sink(() => undefined);
    const uuid = await env.submit({ autostop: true });
    expect((jobManager.getJobStatus(uuid) as JobStatus).backend).to.equal('in-process');
  });
});
