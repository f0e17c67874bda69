import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/slow-stage-memory.ts', import.meta.url));
const MiB = 1024 * 1024;

describe('bounded memory under a slow stage', function () {
  this.timeout(30_000);

  it('streams 400,000 records of ~300 bytes through an async map with a heap growth of a few MiB', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fixture, '400000'],
        { timeout: 25_000, maxBuffer: MiB },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`${error.message}\n${stderr}`));
          else resolve(stdout);
        },
      );
    });
    const { records, baseline, peak } = JSON.parse(output) as {
      records: number;
      baseline: number;
      peak: number;
    };
    const dataSize = 400_000 * 300;
    expect(records).to.equal(400_000);
    expect(peak - baseline, `retained heap growth ${((peak - baseline) / MiB).toFixed(1)} MiB`).to.be.below(
      32 * MiB,
    );
    expect(peak - baseline).to.be.below(dataSize / 4);
  });
});
