import { expect } from 'chai';
import { serviceLines } from '../../src/cli/service-lines.js';
import type { ServiceStats } from '../../src/kernel/runtime/service/service-stats.js';

const embed: ServiceStats = {
  service: 'embed',
  concurrency: 2,
  calls: 640,
  replies: 638,
  errors: 1,
  timeouts: 1,
  late: 0,
  pending: 0,
  latencyMs: { p50: 0.01, p99: 0.05 },
  attempts: 704,
  retries: 64,
  batches: 10,
  meanBatchSize: 64,
  throttledMs: 3200.4,
};

describe('serviceLines (sage job status)', () => {
  it('shows attempts, retries, batches, mean batch size and throttled time per service', () => {
    const lines = serviceLines([embed]);
    expect(lines[0]).to.match(
      /^service\s+calls\s+replies\s+errors\s+timeouts\s+attempts\s+retries\s+batches\s+mean batch\s+throttled ms\s+p99 ms$/,
    );
    expect(lines[1]?.split(/\s+/)).to.deep.equal([
      'embed',
      '640',
      '638',
      '1',
      '1',
      '704',
      '64',
      '10',
      '64.0',
      '3200',
      '0.05',
    ]);
  });

  it('prints nothing for a job without services', () => {
    expect(serviceLines([])).to.deep.equal([]);
  });
});
