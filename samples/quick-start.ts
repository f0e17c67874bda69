// Quick start (what `npm start` runs): the pipeline of the design's first example.
import { pathToFileURL } from 'node:url';
import { LocalEnvironment } from 'sage-kernel';

/**
 * Doubles 1..5, drops the 4 and collects the rest.
 *
 * @example
 * ```ts
 * await main(); // [2, 6, 8, 10]
 * ```
 */
export async function main(): Promise<number[]> {
  const env = new LocalEnvironment('quick-start');
  const out: number[] = [];
  env
    .fromBatch([1, 2, 3, 4, 5])
    .map((x) => x * 2)
    .filter((x) => x !== 4)
    .sink((x) => {
      out.push(x);
    });
  await env.submit({ autostop: true }); // resolves after the job completed
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log('result:', await main());
}
