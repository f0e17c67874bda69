import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { SourceFunction } from '../../../../src/core/api/function/source-function.js';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import type { LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import { LogStreamSink } from '../../../../src/kernel/backend/redis/log-stream-sink.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import {
  SOURCE_FIELD,
  SOURCE_POSITION,
  SourcePositionTracker,
  type SourcePosition,
} from '../../../../src/kernel/backend/redis/source-position.js';
import { StopSignal } from '../../../../src/kernel/runtime/stop-signal.js';
import { KeyedCount, keyedCountModel, type KeyedRecord } from './keyed-count-job.js';
import { registerJob } from './register-job.js';

/** External streams the specs' source reads (entry id → record), trimmed by the specs as a retention would. */
const external = new Map<string, { id: number; record: KeyedRecord }[]>();

/**
 * A source over an external stream that reports its positions (entry ids) as `RedisStreamSource` does: under
 * the log backend it starts after the committed position when there is one, else at its start.
 */
class ListSource extends SourceFunction<KeyedRecord> {
  private position = 0;
  private started = false;

  constructor(private readonly stream: string) {
    super();
  }

  execute(): KeyedRecord | StopSignal {
    const at = this.ctx.config[SOURCE_POSITION] as SourcePosition | undefined;
    if (!this.started) {
      this.started = true;
      if (at?.committed !== undefined) this.position = Number(at.committed);
    }
    const next = (external.get(this.stream) ?? []).find((e) => e.id > this.position);
    if (next === undefined) return new StopSignal();
    this.position = next.id;
    at?.moved(String(next.id));
    return next.record;
  }
}

function build(env: LocalEnvironment, stream: string, parallelism: number): void {
  env
    .fromSource(ListSource, { name: 'list', args: [stream] })
    .keyBy((r) => r.k)
    .map(KeyedCount, { parallelism, name: 'count' })
    .sink(LogStreamSink, { args: [{ stream: 'out' }], parallelism });
}

function outputsByKey(log: MemoryLog): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const e of log.entries('out')) {
    const [k, v, n] = JSON.parse(e.data) as [string, number, number];
    out.set(k, [...(out.get(k) ?? []), [v, n]]);
  }
  return out;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function allDone(log: MemoryLog, job: LoadedJob, id: string): Promise<boolean> {
  for (const v of job.plan.vertices) {
    for (let i = 0; i < v.parallelism; i++) {
      if (!(await log.load(`${id}:${String(v.id)}:${String(i)}`)).done) return false;
    }
  }
  return true;
}

describe('SourcePositionTracker', () => {
  it('commits the position of the last record the task received, never one returned but not handed on', () => {
    let emitted = 0;
    const tracker = new SourcePositionTracker(undefined, () => emitted);
    expect(tracker.settled()).to.equal(undefined);
    tracker.moved('1-0');
    expect(tracker.settled()).to.equal(undefined); // returned by the source, not received by the task yet
    emitted = 1;
    tracker.moved('2-0');
    expect(tracker.settled()).to.equal('1-0');
    emitted = 2;
    expect(tracker.settled()).to.equal('2-0');
    expect(tracker.positionOf(1)).to.equal('1-0');
    tracker.commit('2-0');
    expect(tracker.committed).to.equal('2-0');
    expect(tracker.positionOf(2)).to.equal('2-0');
  });

  it('equals the plain model under any interleaving of reports, emissions and commits (property)', () => {
    type Op = 'report' | 'emit' | 'commit';
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Op>('report', 'emit', 'commit'), { maxLength: 60 }), (ops) => {
        let emitted = 0;
        let reported = 0;
        const tracker = new SourcePositionTracker('p0', () => emitted);
        let committed = 'p0';
        for (const op of ops) {
          if (op === 'report' && reported === emitted) tracker.moved(`p${String(++reported)}`);
          else if (op === 'emit' && emitted < reported) emitted++;
          else if (op === 'commit') {
            const at = tracker.settled();
            if (at !== undefined) tracker.commit(at);
            committed = at ?? committed;
          }
          // Model: record n was read at p<n>; the task received records 1..emitted.
          expect(tracker.settled()).to.equal(emitted === 0 ? committed : `p${String(emitted)}`);
          expect(tracker.committed).to.equal(committed);
          if (emitted > 0) expect(tracker.positionOf(emitted)).to.equal(`p${String(emitted)}`);
        }
      }),
    );
  });
});

/** Records `ctx.recordId` of each record it sees (fused into the source stage). */
class RecordIds extends SinkFunction<KeyedRecord> {
  static readonly seen: (string | undefined)[] = [];
  execute(): void {
    RecordIds.seen.push(this.ctx.recordId);
  }
}

describe('A source that reports positions, under the log backend (MemoryLog)', () => {
  it('gives its records the idempotency key <task>/src@<position> (its entry, not an ordinal that a resumed task would restart)', async () => {
    const stream = 'ids';
    external.set(
      stream,
      [1, 2, 3].map((v) => ({ id: v * 10, record: { k: 'a', v } })),
    );
    const log = new MemoryLog();
    const { job, load } = await registerJob(
      log,
      () => {
        const env = new LocalEnvironment('ids', { logLevel: 'silent' });
        env.fromSource(ListSource, { name: 'list', args: [stream] }).sink(RecordIds, { name: 'ids' });
        return env;
      },
      { id: 'r' },
    );
    const worker = new LogWorker(log, { jobRoot: '.', id: 'w', load, task: { intervalMs: 0 } });
    for (let round = 0; round < 100 && !(await allDone(log, job, 'r')); round++) {
      await worker.tick();
      for (let t = 0; t < 10; t++) await turn();
    }
    await worker.stop();
    external.delete(stream);
    const task = `r:${String(job.plan.vertices[0]?.id)}:0`;
    expect(RecordIds.seen).to.deep.equal([`${task}/src@10`, `${task}/src@20`, `${task}/src@30`]);
  });

  it('resumes after its committed position on takeover, with the input trimmed below it: every key exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd'), v: fc.nat(1000) }), {
          minLength: 30,
          maxLength: 150,
        }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        async (records, parallelism, turnsBeforeCrash, trim) => {
          const stream = `in-${Math.random().toString(36).slice(2)}`;
          external.set(
            stream,
            records.map((record, i) => ({ id: i + 1, record })),
          );
          let now = 0;
          const log = new MemoryLog(() => now);
          const { job, load } = await registerJob(log, () => {
            const env = new LocalEnvironment('positioned', { logLevel: 'silent' });
            build(env, stream, parallelism);
            return env;
          });
          const task = { intervalMs: 0, entriesPerRead: 2, maxBuffered: 7 };
          const first = new LogWorker(log, { jobRoot: '.', id: 'a', leaseMs: 1000, load, task });
          await first.tick();
          for (let t = 0; t < turnsBeforeCrash; t++) await turn();
          first.crash();
          const source = job.plan.vertices.find((v) => v.source !== undefined);
          const positions = (await log.load(`j:${String(source?.id)}:0`)).positions;
          // Each record of the source went to one downstream stream: the records committed so far.
          const handled = [...positions]
            .filter(([field]) => field.startsWith('out:'))
            .reduce((sum, [, n]) => sum + Number(n), 0);
          // The committed position is that of the last record committed (entry ids are 1, 2, 3…).
          expect(positions.get(SOURCE_FIELD) ?? '0').to.equal(String(handled));
          if (trim) {
            // Retention dropped what the job committed: a replay from the start could not find it any more.
            external.set(
              stream,
              (external.get(stream) ?? []).filter((e) => e.id > handled),
            );
          }
          now += 1001;
          const second = new LogWorker(log, { jobRoot: '.', id: 'b', leaseMs: 1000, load, task });
          for (let round = 0; round < 400 && !(await allDone(log, job, 'j')); round++) {
            now += 300;
            await second.tick();
            for (let t = 0; t < 10; t++) await turn();
          }
          await second.stop();
          external.delete(stream);
          expect(outputsByKey(log)).to.deep.equal(keyedCountModel(records));
        },
      ),
      { numRuns: 20 },
    );
  });
});
