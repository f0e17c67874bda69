import { expect } from 'chai';
import { KeyedProcessFunction } from '../../../../src/core/api/function/keyed-process-function.js';
import type { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { TimerHeap } from '../../../../src/kernel/runtime/time/timer-heap.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';
import { waitFor } from '../../../helpers/wait-for.js';

interface Reading {
  readonly sensor: number;
  readonly ts: number;
}

/** Counts readings per sensor and sets an event-time timer 1,000 ms after each; a timer reports the count. */
class CountThenReport extends KeyedProcessFunction<number, Reading, string> {
  processElement(r: Reading): undefined {
    const n = this.ctx.state.value('n', 0);
    n.set(n.get() + 1);
    this.ctx.timerService.registerEventTimeTimer(r.ts + 1_000);
    return undefined;
  }
  override onTimer(time: number): string {
    return `${String(this.ctx.getKey())}@${time}:${this.ctx.state.value('n', 0).get()}`;
  }
}

const readings: Reading[] = Array.from({ length: 40 }, (_, i) => ({ sensor: i % 10, ts: i }));

/** Runs the first job on an endless source until every reading was counted, and takes a savepoint. */
async function savepointWithPendingTimers(jm: JobManager, parallelism: number): Promise<JobSnapshot> {
  const env = new LocalEnvironment('timers', { jobManager: jm, logLevel: 'silent' });
  const queue = [...readings];
  env
    .fromSource(() => queue.shift(), { name: 'readings-a', delay: 1 })
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.noWatermarks<Reading>().withTimestampAssigner((r) => r.ts),
    )
    .keyBy((r) => r.sensor)
    .process(CountThenReport, { parallelism, name: 'report' })
    .map((s) => s, { name: 'pass' })
    .sink(() => {
      throw new Error('no timer may fire in the first job');
    });
  const uuid = await env.submit();
  await waitFor(
    () => {
      const status = jm.getJobStatus(uuid) as { operators?: { operator: string; in: number }[] };
      return status.operators?.find((o) => o.operator === 'report')?.in === readings.length;
    },
    { what: 'every reading to reach the process function' },
  );
  jm.pauseJob(uuid);
  const snapshot = await jm.snapshotJob(uuid);
  jm.stopJob(uuid);
  return JSON.parse(JSON.stringify(snapshot)) as JobSnapshot;
}

describe('timers in checkpoints and savepoints', () => {
  for (const [before, after] of [
    [4, 3],
    [2, 5],
    [3, 1],
  ] as const) {
    it(`event-time timers saved at parallelism ${before} fire once each after a restore at ${after}, in their key's context`, async () => {
      const jm = new JobManager();
      const snapshot = await savepointWithPendingTimers(jm, before);
      const env = new LocalEnvironment('timers', { jobManager: jm, logLevel: 'silent' });
      const out: [string, number | undefined][] = [];
      env
        .fromBatch<Reading>([], { name: 'readings-b' })
        .keyBy((r) => r.sensor)
        .process(CountThenReport, { parallelism: after, name: 'report' })
        .map((s) => s, { name: 'pass' })
        .sink(function (this: SinkFunction<string>, s: string) {
          out.push([s, this.ctx.timestamp()]);
        });
      await env.submit({ autostop: true, restore: snapshot, allowNonRestoredState: true });
      const expected = readings.map((r) => `${r.sensor}@${r.ts + 1_000}:4`);
      expect(out.map(([s]) => s).sort()).to.deep.equal(expected.sort());
      for (const [s, ts] of out) expect(ts).to.equal(Number(s.split('@')[1]?.split(':')[0]));
    });
  }
});

/** Sets a processing-time timer 20 ms after each reading; a timer reports its key and time. */
class Remind extends KeyedProcessFunction<string, string, string> {
  processElement(): undefined {
    this.ctx.timerService.registerProcessingTimeTimer(this.ctx.timerService.currentProcessingTime() + 20);
    return undefined;
  }
  override onTimer(time: number): string {
    return `${String(this.ctx.getKey())}@${time}`;
  }
}

describe('processing-time timers in savepoints', () => {
  it('pending processing-time timers fire in the restored job (at another parallelism) when their time comes', async () => {
    const out: string[] = [];
    await runMarbles(({ env, createEnvironment, hot, scheduler }) => {
      env
        .fromObservable(hot('a-b-c----------------------------------|'), { name: 'letters' })
        .keyBy((s) => s)
        .process(Remind, { parallelism: 2, name: 'remind' })
        .sink(() => {
          throw new Error('no timer may fire in the first job');
        });
      let snapshot: JobSnapshot | undefined;
      env.at(5, () => {
        void env.jobManager.snapshotJob(env.lastJob().uuid).then((s) => {
          snapshot = JSON.parse(JSON.stringify(s)) as JobSnapshot;
        });
      });
      env.stopAt(7);
      const second = createEnvironment('restored');
      second.at(10, () => {
        second
          .fromObservable(hot('-----------------------------------|'), { name: 'letters' })
          .keyBy((s) => s)
          .process(Remind, { parallelism: 3, name: 'remind' })
          .sink((s) => {
            out.push(`${s} at ${String(scheduler.now())}`);
          });
        void second.submit({ restore: snapshot as JobSnapshot, allowNonRestoredState: true });
      });
      void env.submit();
    });
    expect(out).to.deep.equal(['a@20 at 20', 'b@22 at 22', 'c@24 at 24']);
  });
});

describe('TimerHeap', () => {
  it('pops timers in time order, whatever the order they were pushed in', () => {
    const heap = new TimerHeap();
    const times = [50, 10, 40, 10, 30, 20, 60, 0, 35];
    times.forEach((time, i) => {
      heap.push({ time, key: i });
    });
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop()?.time ?? NaN);
    expect(popped).to.deep.equal([...times].sort((a, b) => a - b));
    expect(heap.pop()).to.equal(undefined);
  });
});
