import type { SchedulerLike } from 'rxjs';
import { toError } from '../../../errors/to-error.js';

/** `JSON.stringify`, typed as it behaves: undefined for undefined, functions and symbols. */
const stringify = JSON.stringify as (value: unknown) => string | undefined;

/** Milliseconds of work per slice; the job's records flow between slices. */
const SLICE_MS = 4;

/**
 * `JSON.stringify(value)` of a large snapshot without stalling the job: the value is written piece by piece
 * (objects and arrays down to `leafDepth` by hand, each deeper value with `JSON.stringify`), a few
 * milliseconds at a time on `scheduler`. `onPiece` receives the text in order; the concatenation is exactly
 * what `JSON.stringify(value)` gives for plain data (undefined fields left out, undefined array items and
 * holes written as `null`).
 *
 * @example
 * ```ts
 * const parts: string[] = [];
 * await stringifyInSlices(snapshot, asyncScheduler, (p) => parts.push(p));
 * parts.join('') === JSON.stringify(snapshot); // true
 * ```
 */
export function stringifyInSlices(
  value: unknown,
  scheduler: SchedulerLike,
  onPiece: (piece: string) => void,
  leafDepth = 6,
): Promise<void> {
  const pieces = write(value, 0, leafDepth);
  return new Promise((resolve, reject) => {
    const step = (): void => {
      try {
        const until = performance.now() + SLICE_MS;
        for (;;) {
          const next = pieces.next();
          if (next.done === true) {
            resolve();
            return;
          }
          onPiece(next.value);
          if (performance.now() >= until) break;
        }
        scheduler.schedule(step);
      } catch (e) {
        reject(toError(e));
      }
    };
    step();
  });
}

function* write(value: unknown, depth: number, leafDepth: number): Generator<string, void, undefined> {
  if (depth >= leafDepth || typeof value !== 'object' || value === null || hasToJson(value)) {
    yield stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* write(item, depth + 1, leafDepth);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(name)}:`;
    first = false;
    yield* write(item, depth + 1, leafDepth);
  }
  yield '}';
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
