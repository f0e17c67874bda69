import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
