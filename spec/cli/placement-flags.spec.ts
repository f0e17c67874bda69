import { expect } from 'chai';
import { placementFromFlags } from '../../src/cli/placement-flags.js';
import { UsageError } from '../../src/errors/usage-error.js';

describe('sage jobmanager start placement flags', () => {
  it('isolates jobs in threads by default, and takes none, a heap limit, the threads backend and workers', () => {
    expect(placementFromFlags({})).to.deep.equal({ isolation: 'thread' });
    expect(
      placementFromFlags({ isolation: 'none', maxOldGenerationMb: '64', backend: 'threads', workers: '3' }),
    ).to.deep.equal({
      isolation: 'none',
      resourceLimits: { maxOldGenerationSizeMb: 64 },
      backend: { kind: 'threads', workers: 3 },
    });
  });

  it('refuses bad values with a UsageError that names the flag', () => {
    for (const [flags, text] of [
      [{ isolation: 'process' }, '--isolation must be thread or none'],
      [{ backend: 'redis' }, '--backend must be in-process or threads'],
      [{ workers: '2' }, '--workers needs --backend threads'],
      [{ backend: 'threads', workers: '0' }, '--workers must be a positive integer'],
      [{ maxOldGenerationMb: 'x' }, '--max-old-generation-mb must be a positive integer'],
    ] as const) {
      expect(() => placementFromFlags(flags)).to.throw(UsageError, text);
    }
  });
});
