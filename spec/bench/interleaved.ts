/** One timed case of an interleaved measurement. */
export interface TimedCase {
  readonly id: string;
  /** One run; resolves with its wall time in ms. */
  run(): Promise<number> | number;
}

/**
 * Times every case once per round, `rounds` rounds, rotating which case goes first in each round: a change
 * of machine load (other processes share the cores) or a garbage collection left by one case then falls on
 * every case alike, and each round holds one time of every case taken close together, so ratios between cases
 * can be taken per round ({@link pairedRatio}). Returns the times of each case by id, in round order.
 *
 * @example
 * ```ts
 * const times = await interleaved([{ id: 'a', run: () => timeA() }, { id: 'b', run: () => timeB() }], 7);
 * median(times.get('a') ?? []);
 * ```
 */
export async function interleaved(
  cases: readonly TimedCase[],
  rounds: number,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(r + i) % cases.length] as TimedCase;
      times.get(c.id)?.push(await c.run());
    }
  }
  return times;
}

/**
 * The median of some numbers (the mean of the middle two for an even count); NaN for none.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median, over rounds, of `with` case's time per unit divided by the `baseline` case's time per unit in
 * the same round (`units` says how many calls or records one run of each made): 1 when the option costs
 * nothing, 1.2 when it makes each unit 20% slower.
 *
 * @example
 * ```ts
 * pairedRatio(times, { id: 'rate', units: 1e6 }, { id: 'none', units: 1e6 });
 * ```
 */
export function pairedRatio(
  times: ReadonlyMap<string, readonly number[]>,
  withCase: { readonly id: string; readonly units: number },
  baseline: { readonly id: string; readonly units: number },
): number {
  const a = times.get(withCase.id) ?? [];
  const b = times.get(baseline.id) ?? [];
  const ratios = a.map((t, i) => t / withCase.units / ((b[i] ?? Number.NaN) / baseline.units));
  return median(ratios);
}
