import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type {
  CommitResult,
  CommitTx,
  LogEntry,
  Position,
} from '../../../../src/kernel/backend/redis/partitioned-log.js';
import { buildKeyedCount } from './keyed-count-job.js';
import { registerJob } from './register-job.js';

/** A log whose connection is reset after `healthy` commits: every later read and commit rejects, a little later. */
class ResettingLog extends MemoryLog {
  private commits = 0;

  constructor(private readonly healthy: number) {
    super();
  }

  private get broken(): boolean {
    return this.commits > this.healthy;
  }

  override async commit(tx: CommitTx): Promise<CommitResult> {
    this.commits++;
    if (!this.broken) return super.commit(tx);
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('read ECONNRESET');
  }

  override async read(stream: string, after: Position, max: number): Promise<LogEntry[]> {
    if (!this.broken) return super.read(stream, after, max);
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('read ECONNRESET');
  }
}

describe('StageTask when the connection fails', () => {
  it('ends its tasks without an unhandled rejection from reads ahead or commits still in flight', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    // Mocha's own listener would fail the run at once; this spec counts them itself.
    const others = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const healthy of [0, 1, 2, 3, 5, 8]) {
        const log = new ResettingLog(healthy);
        const records = Array.from({ length: 2000 }, (_, i) => ({ k: `k${String(i % 13)}`, v: i }));
        const { load } = await registerJob(log, () => {
          const env = new LocalEnvironment('count', { logLevel: 'silent' });
          buildKeyedCount(env, records, 2, 'out');
          return env;
        });
        const worker = new LogWorker(log, {
          jobRoot: '.',
          id: 'w',
          load,
          task: { intervalMs: 0, entriesPerRead: 1, recordsPerEntry: 5, commitsInFlight: 4 },
        });
        for (let i = 0; i < 30; i++) {
          await worker.tick();
          for (let t = 0; t < 10; t++) await new Promise((resolve) => setImmediate(resolve));
        }
        await worker.stop();
        // Let every rejection that nobody waits for surface.
        for (let t = 0; t < 20; t++) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      process.off('unhandledRejection', onUnhandled);
      for (const l of others) process.on('unhandledRejection', l);
    }
    expect(unhandled.map(String)).to.deep.equal([]);
  });
});
