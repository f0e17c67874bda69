import { concatMap, from, map, take } from 'rxjs';
import { MapFunction } from '../../src/index.js';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

/** One record of workload (f): an id and a payload of about 300 bytes. */
export interface PayloadRecord {
  readonly id: number;
  readonly payload: string;
}

/** Bytes of payload per record. */
export const PAYLOAD_BYTES = 300;

/**
 * Produces `n` fresh records lazily, so that only the records the pipeline holds are on the heap.
 *
 * @example
 * ```ts
 * for (const r of payloadRecords(3)) console.log(r.id);
 * ```
 */
export function* payloadRecords(n: number): Generator<PayloadRecord> {
  for (let id = 0; id < n; id++) yield { id, payload: String(id).padStart(PAYLOAD_BYTES, '.') };
}

/** Answers one macrotask later: slower than any synchronous source can produce. */
function later<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(resolve, value));
}

/**
 * The slow stage: hands each record on one event-loop turn later, calling `probe` every 1,024 records.
 *
 * @example
 * ```ts
 * env.fromBatch(payloadRecords(10)).map(SlowStage, { args: [() => undefined] });
 * ```
 */
export class SlowStage extends MapFunction<PayloadRecord, PayloadRecord> {
  private seen = 0;

  constructor(private readonly probe: () => void) {
    super();
  }

  execute(record: PayloadRecord): Promise<PayloadRecord> {
    if ((this.seen++ & 1023) === 0) this.probe();
    return later(record);
  }
}

/**
 * Workload (f): `n` records of about 300 bytes from a lazy source through a slow async stage. The engine pulls
 * only while the stage keeps up; RxJS `from(iterable).pipe(concatMap(...))` reads the whole source at once and
 * buffers it. `probe` is called regularly from the stage so the caller can sample the heap. RxJS drains that
 * buffer in quadratic time (about 500 s for 1,000,000 records on a 2-core machine), so its run can stop after
 * `rxjsRecords` outputs: its heap peaks at the burst, before the first record settles.
 *
 * @example
 * ```ts
 * const w = slowStageWorkload(1_000_000, () => { peak = Math.max(peak, process.memoryUsage().heapUsed); });
 * ```
 */
export function slowStageWorkload(
  n: number,
  probe: () => void = () => undefined,
  rxjsRecords = n,
): Workload & { readonly rxjsExpected: Outcome } {
  const expected: Outcome = { count: n, sum: (n * (n - 1)) / 2 };
  const m = Math.min(n, rxjsRecords);
  const id = (r: PayloadRecord): number => r.id;
  return {
    title: `f. ${PAYLOAD_BYTES}-byte records through a slow async stage`,
    records: n,
    expected,
    rxjsExpected: { count: m, sum: (m * (m - 1)) / 2 },
    async engine() {
      const env = benchEnvironment('bench-slow-stage');
      const { outcome, add } = tally();
      env
        .fromBatch(payloadRecords(n))
        .map(SlowStage, { args: [probe] })
        .map(id)
        .sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs() {
      const stage = new SlowStage(probe);
      return drain(
        from(payloadRecords(n)).pipe(
          concatMap((r) => stage.execute(r)),
          map(id),
          take(m),
        ),
      );
    },
  };
}
