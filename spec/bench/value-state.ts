import { MapFunction } from '../../src/index.js';
import { settledHeap } from './heap-probe.js';
import { formatCount } from './format-table.js';
import { benchEnvironment, tally, type HeapFigures, type Outcome, type Workload } from './workload.js';

/** Called after every record with the number of records the function has seen so far (only in heap runs). */
export type HeapMark = (seen: number) => void;

/**
 * A keyed running count in managed state: `ctx.state.value('n', 0)` per record.
 *
 * @example
 * ```ts
 * env.fromBatch(keys).keyBy((k) => k).map(CountInState);
 * ```
 */
export class CountInState extends MapFunction<number, number> {
  private seen = 0;

  constructor(private readonly mark?: HeapMark) {
    super();
  }

  execute(): number {
    const n = this.ctx.state.value('n', 0);
    const next = n.get() + 1;
    n.set(next);
    if (this.mark !== undefined) this.mark(++this.seen);
    return next;
  }
}

/**
 * The same running count in a `Map` the function holds (the baseline of workload g: what a user would write
 * without managed state).
 *
 * @example
 * ```ts
 * env.fromBatch(keys).keyBy((k) => k).map(CountInMap);
 * ```
 */
export class CountInMap extends MapFunction<number, number> {
  private readonly _counts = new Map<number, number>();
  private seen = 0;

  constructor(private readonly mark?: HeapMark) {
    super();
  }

  execute(k: number): number {
    const next = (this._counts.get(k) ?? 0) + 1;
    this._counts.set(k, next);
    if (this.mark !== undefined) this.mark(++this.seen);
    return next;
  }
}

/**
 * Reads the heap (after full collections) once half the keys are held and again after the last record, and
 * gives the growth per key in between. Starting half-way leaves out what the first records cost once (compiled
 * code, feedback, the job's set-up).
 *
 * @example
 * ```ts
 * const probe = new HeapPerKey(total, keysHeld);
 * // pass probe.mark to the function; after the run:
 * probe.bytesPerKey;
 * ```
 */
export class HeapPerKey {
  private readonly from: number;
  private first = 0;
  private last = 0;

  /**
   * @param total the records of the run
   * @param keys the keys held after the last record; the records cycle over them, so record _k_ ≤ `keys`
   *   holds _k_ keys
   * @param readHeap reads the heap (default: `heapUsed` after full collections)
   */
  constructor(
    private readonly total: number,
    private readonly keys: number,
    private readonly readHeap: () => number = settledHeap,
  ) {
    this.from = Math.ceil(keys / 2);
  }

  readonly mark: HeapMark = (seen) => {
    if (seen === this.from) this.first = this.readHeap();
    if (seen === this.total) this.last = this.readHeap();
  };

  /** Heap growth from the half-way mark to the last record, per key added in between. */
  get bytesPerKey(): number {
    return (this.last - this.first) / Math.max(this.keys - this.from, 1);
  }
}

/**
 * Workload g: `n` records whose keys cycle over `keys` keys through keyBy → a running count per key in
 * `ctx.state` (one `value('n', 0)` get and set per record) → sink, at parallelism 1, against the same
 * pipeline whose function updates a `Map` it holds (`CountInMap`). When `n < keys`, every record writes a new key and the state ends with `n` keys. `heap()`
 * gives the heap each key holds in `ctx.state` and in the `Map` (the median of `heapRuns` runs per side).
 *
 * @example
 * ```ts
 * const w = valueStateWorkload(10_000, 1_000);
 * ```
 */
export function valueStateWorkload(n: number, keys: number, heapRuns = 3): Workload {
  const input = Array.from({ length: n }, (_, i) => i % keys);
  const held = Math.min(n, keys);
  const expected: Outcome = { count: 0, sum: 0 };
  const model = new Map<number, number>();
  for (const k of input) {
    const next = (model.get(k) ?? 0) + 1;
    model.set(k, next);
    expected.count++;
    expected.sum += next;
  }

  const engine = async (mark?: HeapMark): Promise<Outcome> => {
    const env = benchEnvironment('bench-value-state');
    const { outcome, add } = tally();
    env
      .fromBatch(input)
      .keyBy((k) => k)
      .map(CountInState, { args: [mark] })
      .sink(add);
    await env.submit({ autostop: true });
    return outcome;
  };
  // The baseline the issue names: the same pipeline, with a Map held by the function instead of ctx.state.
  const mapInFunction = async (mark?: HeapMark): Promise<Outcome> => {
    const env = benchEnvironment('bench-value-map');
    const { outcome, add } = tally();
    env
      .fromBatch(input)
      .keyBy((k) => k)
      .map(CountInMap, { args: [mark] })
      .sink(add);
    await env.submit({ autostop: true });
    return outcome;
  };
  return {
    title: `g. keyBy → \`ctx.state.value\` update → sink, ${formatCount(keys)} keys`,
    records: n,
    detail: n < keys ? `${formatCount(held)} keys written` : `${formatCount(keys)} keys`,
    expected,
    baseline: 'Map in the function',
    engine: () => engine(),
    rxjs: () => mapInFunction(),
    async heap(): Promise<HeapFigures> {
      // The median of `heapRuns` runs per side: a reading moves by some 100 kB with what V8 compiles meanwhile.
      const inState: number[] = [];
      const inMap: number[] = [];
      for (let run = 0; run < heapRuns; run++) {
        const state = new HeapPerKey(n, held);
        await engine(state.mark);
        inState.push(state.bytesPerKey);
        const map = new HeapPerKey(n, held);
        await mapInFunction(map.mark);
        inMap.push(map.bytesPerKey);
      }
      return { per: 'key', engineBytes: median(inState), rxjsBytes: median(inMap) };
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
