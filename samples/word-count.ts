// Word count: flatMap splits lines into words, keyBy sends each word to one instance, a keyed map counts.
import { pathToFileURL } from 'node:url';
import { LocalEnvironment, MapFunction } from 'sage-kernel';

const LINES = ['the quick brown fox', 'jumps over the lazy dog', 'the dog sleeps', 'the fox runs'];

/** Counts words per key; the key comes from the runtime (`ctx.getKey()`), the count map is per instance. */
class CountWords extends MapFunction<string, [string, number]> {
  private readonly counts = new Map<string, number>();

  execute(): [string, number] {
    const word = this.ctx.getKey() as string;
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    return [word, count];
  }
}

/**
 * Counts the words of a few lines on 2 parallel counters and returns the final count of each word.
 *
 * @example
 * ```ts
 * const counts = await main(); // { the: 4, fox: 2, dog: 2, … }
 * ```
 */
export async function main(lines: readonly string[] = LINES): Promise<Record<string, number>> {
  const env = new LocalEnvironment('word-count');
  const counts: Record<string, number> = {};
  env
    .fromBatch(lines)
    .flatMap((line) => line.split(/\s+/).filter((w) => w.length > 0))
    .keyBy((word) => word)
    .map(CountWords, { parallelism: 2 })
    .sink(([word, count]) => {
      counts[word] = Math.max(counts[word] ?? 0, count);
    });
  await env.submit({ autostop: true });
  return counts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const counts = await main();
  for (const [word, count] of Object.entries(counts).sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  )) {
    console.log(`${word}: ${count}`);
  }
}
