// Iterative refinement with a feedback loop: Newton's method for square roots. Each estimate that is not
// good enough flows back into the loop; the job ends when no estimate is left in the loop.
// Run: npx tsx samples/feedback-loop.ts
import { pathToFileURL } from 'node:url';
import { LocalEnvironment } from 'sage-kernel';

export interface Estimate {
  readonly n: number;
  readonly x: number;
  readonly step: number;
}

/** Runs the loop and returns, per number, its square root and the steps it took. */
export async function main(
  numbers: readonly number[] = [2, 9, 1e6],
): Promise<Record<number, { root: number; steps: number }>> {
  const env = new LocalEnvironment('newton', { logLevel: 'warn' });
  const result: Record<number, { root: number; steps: number }> = {};
  const loop = env.fromFuture<Estimate>('refine');
  const estimates = env
    .fromBatch(numbers.map((n): Estimate => ({ n, x: n, step: 0 })))
    .connect(loop)
    .map((e) => e);
  const close = (e: Estimate): boolean => Math.abs(e.x * e.x - e.n) <= 1e-12 * e.n;
  estimates.filter(close).sink((e) => {
    result[e.n] = { root: e.x, steps: e.step };
  });
  estimates
    .filter((e) => !close(e))
    .map((e): Estimate => ({ n: e.n, x: (e.x + e.n / e.x) / 2, step: e.step + 1 }))
    .fillFuture(loop);
  await env.submit({ autostop: true });
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await main());
}
