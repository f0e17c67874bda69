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

  it('takes the Redis backend with its URL and the first job root (jobs run on the workers, not isolated)', () => {
    expect(
      placementFromFlags({ backend: 'redis', redis: 'redis://127.0.0.1:6379', jobRoot: 'jobs' }),
    ).to.deep.equal({
      isolation: 'none',
      backend: { kind: 'redis', url: 'redis://127.0.0.1:6379', jobRoot: 'jobs' },
    });
  });

  it('refuses bad values with a UsageError that names the flag', () => {
    for (const [flags, text] of [
      [{ isolation: 'process' }, '--isolation must be thread or none'],
      [{ backend: 'kafka' }, '--backend must be in-process, threads or redis'],
      [{ backend: 'redis' }, '--backend redis needs --redis URL'],
      [
        { backend: 'redis', redis: 'localhost:6379' },
        '--redis must be a Redis URL such as redis://127.0.0.1:6379',
      ],
      [{ redis: 'redis://x' }, '--redis needs --backend redis'],
      [{ backend: 'redis', redis: 'redis://x', isolation: 'thread' }, 'do not apply to --backend redis'],
      [{ backend: 'redis', redis: 'redis://x', workers: '2' }, '--workers needs --backend threads'],
      [{ workers: '2' }, '--workers needs --backend threads'],
      [{ backend: 'threads', workers: '0' }, '--workers must be a positive integer'],
      [{ maxOldGenerationMb: 'x' }, '--max-old-generation-mb must be a positive integer'],
    ] as const) {
      expect(() => placementFromFlags(flags)).to.throw(UsageError, text);
    }
  });
});
