import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../samples/quick-start.js';

describe('samples/quick-start', () => {
  it('returns [2, 6, 8, 10]', async () => {
    expect(await main()).to.deep.equal([2, 6, 8, 10]);
  });

  it('prints its result when run directly (npm start)', async function () {
    this.timeout(60_000); // a child process starting tsx: a second when idle, much more on a loaded machine
    const file = fileURLToPath(new URL('../../samples/quick-start.ts', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', file], { timeout: 55_000 }, (error, out) => {
        if (error) reject(new Error(error.message));
        else resolve(out);
      });
    });
    expect(stdout.trim()).to.equal('result: [ 2, 6, 8, 10 ]');
  });
});
