import { BatchFunction, MapFunction, SinkFunction } from '../../src/index.js';
import type { JobBuilder } from '../../src/kernel/jobmanager/server/job-builder.js';

/** Arguments of the threads bench job. */
export interface ThreadsJobArgs {
  readonly n: number;
  readonly keys: number;
  /** Source instances (each reads the numbers ≡ its index). */
  readonly sources: number;
  /** Multiply-add steps of user CPU per record in the keyed count. */
  readonly work: number;
  /** Multiply-add steps per record of a separate slow stage after the count (0: none). */
  readonly slow: number;
}

class Numbers extends BatchFunction<number> {
  private next = -1;
  constructor(private readonly n: number) {
    super();
  }
  execute(): number | undefined {
    if (this.next < 0) this.next = this.ctx.parallelIndex;
    if (this.next >= this.n) return undefined;
    const x = this.next;
    this.next += this.ctx.parallelism;
    return x;
  }
}

/** Burns `steps` multiply-adds; returns a value that depends on them (so they are not optimised away). */
export function burn(x: number, steps: number): number {
  let acc = x;
  for (let i = 0; i < steps; i++) acc = (acc * 1.000001 + 1) % 1e9;
  return acc;
}

class KeyedCount extends MapFunction<number, number> {
  constructor(private readonly work: number) {
    super();
  }
  execute(x: number): number {
    const c = this.ctx.state.value('c', 0);
    c.set(c.get() + 1);
    return burn(x, this.work) > -1 ? x : -x;
  }
}

class Slow extends MapFunction<number, number> {
  constructor(private readonly steps: number) {
    super();
  }
  execute(x: number): number {
    return burn(x, this.steps) > -1 ? x : -x;
  }
}

class Count extends SinkFunction<number> {
  seen = 0;
  execute(): void {
    this.seen++;
  }
}

/** numbers → keyBy(x % keys) → keyed count (2 instances, `work` per record) → [slow stage] → counting sink. */
const build: JobBuilder = (env, args) => {
  const a = args as unknown as ThreadsJobArgs;
  let s = env
    .fromBatch(Numbers, { name: 'numbers', args: [a.n], parallelism: a.sources })
    .keyBy((x) => x % a.keys)
    .map(KeyedCount, { name: 'count', parallelism: 2, args: [a.work] });
  if (a.slow > 0) s = s.map(Slow, { name: 'slow', parallelism: 1, args: [a.slow] });
  s.sink(Count, { name: 'sink', parallelism: 1 });
};
export default build;
