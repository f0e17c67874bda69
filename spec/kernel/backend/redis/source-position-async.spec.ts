import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { SourceFunction } from '../../../../src/core/api/function/source-function.js';
import type { LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import { LogStreamSink } from '../../../../src/kernel/backend/redis/log-stream-sink.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type { CommitResult, CommitTx } from '../../../../src/kernel/backend/redis/partitioned-log.js';
import {
  SOURCE_FIELD,
  SOURCE_POSITION,
  type SourcePosition,
} from '../../../../src/kernel/backend/redis/source-position.js';
import { StopSignal } from '../../../../src/kernel/runtime/stop-signal.js';
import { registerJob } from './register-job.js';

/** One input record: its value, and how many macrotasks the async map takes for it (0: synchronous). */
interface Item {
  readonly v: number;
  readonly turns: number;
  /** Macrotasks the source takes to return it (0: returned at once). */
  readonly read: number;
  /** Records the asynchronous flatMap makes of it (0: none, only its position is committed). */
  readonly copies: number;
}

/** External streams the spec's source reads (entry ids 1, 2, 3…). */
const external = new Map<string, Item[]>();

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await turn();
}

/**
 * A source over an external stream that reports its positions (entry ids) and starts after the committed one,
 * as `RedisStreamSource` does; some reads are asynchronous. Its fields start with `_`, so they are not function
 * state: the committed position alone says where it is.
 */
class PositionedSource extends SourceFunction<Item> {
  private _position = -1;

  constructor(private readonly _stream: string) {
    super();
  }

  execute(): Item | StopSignal | Promise<Item> {
    const at = this.ctx.config[SOURCE_POSITION] as SourcePosition | undefined;
    if (this._position < 0) this._position = Number(at?.committed ?? '0');
    const items = external.get(this._stream) ?? [];
    const id = this._position + 1;
    const item = items[id - 1];
    if (item === undefined) return new StopSignal();
    this._position = id;
    if (item.read === 0) {
      at?.moved(String(id));
      return item;
    }
    return turns(item.read).then(() => {
      at?.moved(String(id));
      return item;
    });
  }
}

/** A numbered record: value, macrotasks of its calls, its number, its copy (or how many copies to make). */
type Row = readonly [v: number, turns: number, n: number, copy: number];

/** Numbers the records it sees in its function state (a state effect before the asynchronous operators). */
class Numbered extends MapFunction<Item, Row> {
  seen = 0;
  execute(item: Item): Row {
    return [item.v, item.turns, ++this.seen, item.copies];
  }
}

/** The flatMap: `copies` rows (none for 0), after the record's number of macrotasks (at once for 0). */
function fan([v, t, n, copies]: Row): Row[] | Promise<Row[]> {
  const rows = Array.from({ length: copies }, (_, c): Row => [v, t, n, c]);
  return t === 0 ? rows : turns(t).then(() => rows);
}

/** The asynchronous map: resolves after the record's number of macrotasks, or returns at once for 0. */
function slowly([v, t, n, c]: Row): readonly number[] | Promise<readonly number[]> {
  if (t === 0) return [v, n, c];
  return turns(t).then(() => [v, n, c]);
}

/** The outputs of `items`, in order: `[v, n, copy]` for each copy of the n-th item. */
function expectedOf(items: readonly Item[]): number[][] {
  return items.flatMap((item, i) => Array.from({ length: item.copies }, (_, c) => [item.v, i + 1, c]));
}

/** A MemoryLog that counts the commits it applied. */
class CountingLog extends MemoryLog {
  applied = 0;
  override async commit(tx: CommitTx): Promise<CommitResult> {
    const result = await super.commit(tx);
    if (result === 'ok') this.applied++;
    return result;
  }
}

async function allDone(log: MemoryLog, job: LoadedJob): Promise<boolean> {
  for (const v of job.plan.vertices) {
    for (let i = 0; i < v.parallelism; i++) {
      if (!(await log.load(`j:${String(v.id)}:${String(i)}`)).done) return false;
    }
  }
  return true;
}

/** Releases the read `HangingSource` leaves pending after its items (set when it starts that read). */
let releaseRead: (() => void) | undefined;

/** True while `HangingSource` waits in its last read. */
function readPending(): boolean {
  return releaseRead !== undefined;
}

/** Ends `HangingSource`'s last read. */
function endRead(): void {
  releaseRead?.();
}

/** Hands over its items (reporting positions 1, 2, 3…), then starts a read that ends only when released. */
class HangingSource extends SourceFunction<Item> {
  private _next = 0;

  constructor(private readonly _items: readonly Item[]) {
    super();
  }

  execute(): Item | Promise<StopSignal> {
    const at = this.ctx.config[SOURCE_POSITION] as SourcePosition | undefined;
    const item = this._items[this._next];
    if (item === undefined) {
      return new Promise((resolve) => {
        releaseRead = () => {
          resolve(new StopSignal());
        };
      });
    }
    at?.moved(String(++this._next));
    return item;
  }
}

describe('A source that reports positions, followed by an asynchronous map, under the log backend (MemoryLog)', () => {
  it('commits a consistent cut: with workers killed after random commits, each output comes once, in order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            v: fc.nat(1000),
            turns: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })),
            copies: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.nat(3) }),
            read: fc.oneof(
              { weight: 3, arbitrary: fc.constant(0) },
              { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
            ),
          }),
          { minLength: 5, maxLength: 40 },
        ),
        // Per crash: the commits to wait for, then the macrotasks before the worker is killed.
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.nat(4)), { minLength: 1, maxLength: 4 }),
        async (items, crashes) => {
          const stream = `in-${Math.random().toString(36).slice(2)}`;
          external.set(stream, items);
          let now = 0;
          const log = new CountingLog(() => now);
          const { job, load } = await registerJob(log, () => {
            const env = new LocalEnvironment('positioned-async', { logLevel: 'silent' });
            env
              .fromSource(PositionedSource, { name: 'src', args: [stream] })
              .map(Numbered, { name: 'numbered' })
              .flatMap(fan, { name: 'fan' })
              .map(slowly, { name: 'slowly' })
              .sink(LogStreamSink, { args: [{ stream: 'out' }] });
            return env;
          });
          // The source, the maps, the flatMap and the sink run fused in one source stage.
          expect(job.plan.vertices).to.have.length(1);
          const task = { intervalMs: 0 };
          let w = 0;
          for (const [commits, after] of crashes) {
            const worker = new LogWorker(log, {
              jobRoot: '.',
              id: `w${String(w++)}`,
              leaseMs: 1000,
              load,
              task,
            });
            await worker.tick();
            const target = log.applied + commits;
            for (let t = 0; t < 2000 && log.applied < target && !(await allDone(log, job)); t++) await turn();
            await turns(after);
            worker.crash();
            now += 1001;
          }
          const last = new LogWorker(log, { jobRoot: '.', id: 'last', leaseMs: 1000, load, task });
          for (let round = 0; round < 400 && !(await allDone(log, job)); round++) {
            now += 300;
            await last.tick();
            await turns(10);
          }
          await last.stop();
          external.delete(stream);
          const out = log.entries('out').map((e) => JSON.parse(e.data) as unknown);
          expect(out).to.deep.equal(expectedOf(items));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('commits the records it handed over while its own next read is still pending (the cut does not wait for the source)', async () => {
    const items: Item[] = [0, 2, 0, 3, 1].map((t, i) => ({ v: i * 10, turns: t, read: 0, copies: i % 3 }));
    releaseRead = undefined;
    const log = new CountingLog();
    const { job, load } = await registerJob(log, () => {
      const env = new LocalEnvironment('hanging', { logLevel: 'silent' });
      env
        .fromSource(HangingSource, { name: 'src', args: [items] })
        .map(Numbered, { name: 'numbered' })
        .flatMap(fan, { name: 'fan' })
        .map(slowly, { name: 'slowly' })
        .sink(LogStreamSink, { args: [{ stream: 'out' }] });
      return env;
    });
    const name = `j:${String(job.plan.vertices[0]?.id)}:0`;
    const expected = expectedOf(items);
    const worker = new LogWorker(log, {
      jobRoot: '.',
      id: 'w',
      leaseMs: 1000,
      load,
      task: { intervalMs: 0 },
    });
    try {
      await worker.tick();
      const committed = async (): Promise<boolean> =>
        (await log.load(name)).positions.get(SOURCE_FIELD) === String(items.length);
      for (let t = 0; t < 2000 && !(readPending() && (await committed())); t++) await turn();
      // The source's read is still pending, and every record before it is committed with its output.
      expect(readPending()).to.equal(true);
      expect(await committed()).to.equal(true);
      expect(log.entries('out').map((e) => JSON.parse(e.data) as unknown)).to.deep.equal(expected);
      endRead();
      for (let t = 0; t < 2000 && !(await allDone(log, job)); t++) await turn();
    } finally {
      await worker.stop();
    }
    expect(await allDone(log, job)).to.equal(true);
    expect(log.entries('out').map((e) => JSON.parse(e.data) as unknown)).to.deep.equal(expected);
  });
});
