import { expect } from 'chai';
import type { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { EventTimeSessionWindows } from '../../../../src/core/api/window/event-time-session-windows.js';
import type { TimeWindow } from '../../../../src/core/api/window/time-window.js';
import { TumblingEventTimeWindows } from '../../../../src/core/api/window/tumbling-event-time-windows.js';
import type { WindowAssigner } from '../../../../src/core/api/window/window-assigner.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { waitFor } from '../../../helpers/wait-for.js';

interface Click {
  readonly user: number;
  readonly ts: number;
}

const clicks: Click[] = Array.from({ length: 60 }, (_, i) => ({ user: i % 10, ts: (i * 7) % 50 }));

/** Builds the windowed job: sums of clicks per user and window, reported as `user[start,end)=n`. */
function job(
  env: LocalEnvironment,
  source: 'endless' | 'empty',
  assigner: WindowAssigner<TimeWindow>,
  parallelism: number,
  sink: (s: string, ts: number | undefined) => void,
): void {
  const queue = [...clicks];
  const stream =
    source === 'endless'
      ? env.fromSource(() => queue.shift(), { name: 'clicks-a', delay: 1 })
      : env.fromBatch<Click>([], { name: 'clicks-b' });
  stream
    .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<Click>().withTimestampAssigner((c) => c.ts))
    .keyBy((c) => c.user)
    .window(assigner)
    .aggregate(
      {
        createAccumulator: () => 0,
        add: (_c: Click, n: number) => n + 1,
        getResult: (n: number) => n,
        merge: (a: number, b: number) => a + b,
      },
      (user: unknown, w: TimeWindow, [n]: readonly number[]) =>
        `${String(user)}[${w.start},${w.end})=${n ?? 0}`,
      { parallelism, name: 'count' },
    )
    .map((s) => s, { name: 'pass' })
    .sink(function (this: SinkFunction<string>, s: string) {
      sink(s, this.ctx.timestamp());
    });
}

async function savepointWithOpenWindows(
  jm: JobManager,
  assigner: WindowAssigner<TimeWindow>,
  parallelism: number,
): Promise<JobSnapshot> {
  const env = new LocalEnvironment('windows', { jobManager: jm, logLevel: 'silent' });
  job(env, 'endless', assigner, parallelism, () => {
    throw new Error('no window may fire in the first job (no watermark reaches it)');
  });
  const uuid = await env.submit();
  await waitFor(
    () => {
      const status = jm.getJobStatus(uuid) as { operators?: { operator: string; in: number }[] };
      return status.operators?.find((o) => o.operator === 'count')?.in === clicks.length;
    },
    { what: 'every click to reach the windows' },
  );
  jm.pauseJob(uuid);
  const snapshot = await jm.snapshotJob(uuid);
  jm.stopJob(uuid);
  return JSON.parse(JSON.stringify(snapshot)) as JobSnapshot;
}

/** What the windows hold, computed from the clicks directly. */
function expected(assigner: 'tumbling' | 'session'): string[] {
  const out: string[] = [];
  for (let user = 0; user < 10; user++) {
    const ts = clicks
      .filter((c) => c.user === user)
      .map((c) => c.ts)
      .sort((a, b) => a - b);
    if (assigner === 'tumbling') {
      const counts = new Map<number, number>();
      for (const t of ts) counts.set(t - (t % 20), (counts.get(t - (t % 20)) ?? 0) + 1);
      for (const [start, n] of counts) out.push(`${user}[${start},${start + 20})=${n}`);
    } else {
      let start = ts[0] ?? 0;
      let end = start + 15;
      let n = 0;
      for (const t of ts) {
        if (t <= end) {
          end = Math.max(end, t + 15);
          n++;
        } else {
          out.push(`${user}[${start},${end})=${n}`);
          start = t;
          end = t + 15;
          n = 1;
        }
      }
      out.push(`${user}[${start},${end})=${n}`);
    }
  }
  return out.sort();
}

describe('windows in checkpoints and savepoints', () => {
  for (const [kind, before, after] of [
    ['tumbling', 4, 3],
    ['tumbling', 1, 4],
    ['session', 3, 2],
  ] as const) {
    it(`open ${kind} windows saved at parallelism ${before} fire after a restore at ${after}, with their contents`, async () => {
      const assigner = (): WindowAssigner<TimeWindow> =>
        kind === 'tumbling' ? TumblingEventTimeWindows.of(20) : EventTimeSessionWindows.withGap(15);
      const jm = new JobManager();
      const snapshot = await savepointWithOpenWindows(jm, assigner(), before);
      const env = new LocalEnvironment('windows', { jobManager: jm, logLevel: 'silent' });
      const out: string[] = [];
      const stamps: [string, number | undefined][] = [];
      job(env, 'empty', assigner(), after, (s, ts) => {
        out.push(s);
        stamps.push([s, ts]);
      });
      await env.submit({ autostop: true, restore: snapshot, allowNonRestoredState: true });
      expect(out.sort()).to.deep.equal(expected(kind));
      for (const [s, ts] of stamps) expect(ts).to.equal(Number(/,(\d+)\)/.exec(s)?.[1]) - 1);
    });
  }
});
