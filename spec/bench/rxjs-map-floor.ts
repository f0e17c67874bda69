/**
 * What RxJS's own `map` operator costs per record with no engine around it: the floor under any `pipe(map(f))`
 * step. A loop hands each number to the subscriber that `map(f)` subscribed to its source with, entered exactly
 * as a `pipe` step enters it (`chainInput`: `_next` while the subscriber runs), and `map` passes `f(x)` to an
 * end that tallies it (a `Subscription` with a `next`, as a `pipe` step's chain is). The baseline is the same
 * loop calling `f` and the same tally directly. Their difference per record is what RxJS's subscriber chain adds
 * (its `_next` wrapper with its `try`, the operator's closure, `project.call` with the index): a `pipe(map(f))`
 * step cannot cost less, whatever the engine does around it.
 */
import { map, Observable, Subscription } from 'rxjs';
import { chainInput, type ChainInput } from '../../src/core/operator/pipe-chain-input.js';
import type { CostRow } from './cost-row.js';
import { interleaved, median, pairedRatio } from './interleaved.js';
import { checkOutcome } from './measure.js';
import type { Outcome } from './workload.js';

const double = (x: number): number => x * 2;

/** The end of the measured chain: counts and sums what `map` emits (no safe-subscriber wrapper in front). */
class Tally extends Subscription {
  readonly outcome: Outcome = { count: 0, sum: 0 };

  next(value: number): void {
    this.outcome.count++;
    this.outcome.sum += value;
  }

  error(error: unknown): void {
    throw error;
  }

  complete(): void {
    // nothing held
  }
}

/** CPU time of `run` in ms (as the other cost rows measure). */
function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/** One run through RxJS's `map(double)`: a fresh chain, fed the numbers one by one. */
function throughRxjs(numbers: readonly number[]): { ms: number; outcome: Outcome } {
  const end = new Tally();
  let input: ChainInput | undefined;
  map(double)(
    new Observable<number>((subscriber) => {
      input = chainInput(subscriber);
    }),
  ).subscribe(end);
  const chain = input;
  if (chain === undefined) throw new Error('map(double) did not subscribe to its source');
  const ms = cpuMs(() => {
    for (let i = 0; i < numbers.length; i++) {
      const x = numbers[i];
      if (chain.isStopped) chain.next(x);
      else chain._next(x);
    }
  });
  return { ms, outcome: end.outcome };
}

/** One run of the baseline: the same loop calling `double` and the same tally. */
function direct(numbers: readonly number[]): { ms: number; outcome: Outcome } {
  const end = new Tally();
  const ms = cpuMs(() => {
    for (let i = 0; i < numbers.length; i++) end.next(double(numbers[i] as number));
  });
  return { ms, outcome: end.outcome };
}

/**
 * The floor row: `records` numbers through RxJS's `map(f)` fed directly, against the same loop calling `f`,
 * `rounds` interleaved rounds after one checked run of each. Its note gives the difference in ns per record:
 * what RxJS's `map` adds over a plain call, with no engine, the least a `pipe(map(f))` step can cost.
 *
 * @example
 * ```ts
 * const row = await rxjsMapFloorRow(1_000_000, 15);
 * row.note; // "… RxJS's map adds 9.4 ns/record over a plain call …"
 * ```
 */
export async function rxjsMapFloorRow(records: number, rounds: number): Promise<CostRow> {
  const numbers = Array.from({ length: records }, (_, i) => i);
  const expected: Outcome = { count: records, sum: numbers.reduce((s, x) => s + double(x), 0) };
  checkOutcome('RxJS map floor', 'RxJS map', throughRxjs(numbers).outcome, expected);
  checkOutcome('RxJS map floor', 'plain call', direct(numbers).outcome, expected);
  const times = await interleaved(
    [
      { id: 'rxjs', run: () => throughRxjs(numbers).ms },
      { id: 'direct', run: () => direct(numbers).ms },
    ],
    rounds,
  );
  const rx = times.get('rxjs') ?? [];
  const plain = times.get('direct') ?? [];
  const addedNs = median(rx.map((ms, i) => ((ms - (plain[i] ?? Number.NaN)) * 1e6) / records));
  return {
    title: "RxJS's map(f) alone, no engine: a loop into map's subscriber → tally",
    unit: 'record',
    units: records,
    ms: median(rx),
    baseline: 'the same loop calling f → tally',
    baselineUnits: records,
    baselineMs: median(plain),
    ratio: pairedRatio(times, { id: 'rxjs', units: records }, { id: 'direct', units: records }),
    note:
      `CPU time. RxJS's map adds ${addedNs.toFixed(1)} ns/record over a plain call (median over the rounds ` +
      `of the difference taken in each round), entered the way a pipe step enters it and ending in a plain ` +
      `observer: the least a pipe(map(f)) step can cost, whatever the engine does around it. Compare it with ` +
      `the built-in map(f) step alone in the pipe step row above.`,
  };
}
