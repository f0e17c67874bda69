import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { SourceFunction } from '../../../../src/core/api/function/source-function.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { StopSignal } from '../../../../src/kernel/runtime/stop-signal.js';
import { within } from '../../../helpers/wait-for.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Task (end of stream, order, backpressure)', () => {
  let jm: JobManager;

  beforeEach(() => {
    jm = new JobManager();
  });

  it('completes an instance only after all its upstream instances completed (different lengths and speeds)', async () => {
    class Uneven extends SourceFunction<string> {
      private n = 0;
      execute(): string | StopSignal | Promise<string | StopSignal> {
        const i = this.ctx.parallelIndex;
        const length = i === 0 ? 3 : 6;
        if (this.n >= length) return new StopSignal();
        const item = `${i}:${this.n++}`;
        return i === 0 ? item : tick(2).then(() => item);
      }
    }
    const events: string[] = [];
    class Record extends SinkFunction<string> {
      execute(x: string): void {
        events.push(x);
      }
      close(): void {
        events.push('close');
      }
    }
    const env = new LocalEnvironment('uneven', { jobManager: jm });
    env
      .fromSource(Uneven, { parallelism: 2 })
      .map((x) => x, { parallelism: 3 })
      .sink(Record);
    await within(env.submit({ autostop: true }), 3000, 'the job to complete');
    expect(events).to.have.length(10);
    expect(events[9]).to.equal('close');
    expect(events.slice(0, 9).sort()).to.deep.equal([
      '0:0',
      '0:1',
      '0:2',
      '1:0',
      '1:1',
      '1:2',
      '1:3',
      '1:4',
      '1:5',
    ]);
    expect(events.filter((e) => e.startsWith('1:'))).to.deep.equal([
      '1:0',
      '1:1',
      '1:2',
      '1:3',
      '1:4',
      '1:5',
    ]);
  });

  it('closes each of 3 sink instances exactly once, after every record it received', async () => {
    const log: [number, string][] = [];
    class Record extends SinkFunction<number> {
      execute(x: number): Promise<void> {
        log.push([this.ctx.parallelIndex, `r${x}`]);
        return tick(1);
      }
      close(): void {
        log.push([this.ctx.parallelIndex, 'close']);
      }
    }
    const env = new LocalEnvironment('closing', { jobManager: jm });
    env.fromBatch(Array.from({ length: 12 }, (_, i) => i)).sink(Record, { parallelism: 3 });
    await within(env.submit({ autostop: true }), 3000, 'the job to complete');
    for (const instance of [0, 1, 2]) {
      const mine = log.filter(([i]) => i === instance).map(([, e]) => e);
      expect(
        mine.filter((e) => e === 'close'),
        `instance ${instance}`,
      ).to.have.length(1);
      expect(mine[mine.length - 1]).to.equal('close');
      expect(mine).to.have.length(5);
    }
  });

  it('waits for an async close() before the job completes', async () => {
    let closed = false;
    class SlowClose extends SinkFunction<number> {
      execute(): void {
        return undefined;
      }
      async close(): Promise<void> {
        await tick(5);
        closed = true;
      }
    }
    const env = new LocalEnvironment('slow-close', { jobManager: jm });
    env.fromBatch([1]).sink(SlowClose);
    await env.submit({ autostop: true });
    expect(closed).to.equal(true);
  });

  it('keeps FIFO order per upstream → downstream instance pair through async steps', async () => {
    const env = new LocalEnvironment('fifo', { jobManager: jm });
    const out: number[] = [];
    env
      .fromBatch(Array.from({ length: 200 }, (_, i) => i))
      .map((x) => (x % 7 === 0 ? tick(1).then(() => x) : x))
      .filter((x) => (x % 5 === 0 ? Promise.resolve(true) : true))
      .sink((x) => {
        out.push(x);
      });
    await within(env.submit({ autostop: true }), 5000, 'the job to complete');
    expect(out).to.deep.equal(Array.from({ length: 200 }, (_, i) => i));
  });

  it('presses a fast source when a slow stage queues up to highWaterMark', async () => {
    const env = new LocalEnvironment('pressed', { jobManager: jm, highWaterMark: 16 });
    let maxQueued = 0;
    let done = 0;
    const total = 400;
    env
      .fromBatch(Array.from({ length: total }, (_, i) => i))
      .map((x) => tick(0).then(() => x), { parallelism: 2 })
      .sink(() => {
        done++;
        const status = jm.getJobStatus(env.jobId as string);
        if (status.status !== 'not_found') maxQueued = Math.max(maxQueued, status.queued);
      });
    await within(env.submit({ autostop: true }), 8000, 'the job to complete');
    expect(done).to.equal(total);
    expect(maxQueued).to.be.greaterThan(0);
    expect(maxQueued).to.be.at.most(2 * 16 + 4);
  });
});
