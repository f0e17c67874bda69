import type { Window } from '../api/window/window.js';
import type { AllRecordsFunction } from './all-records-function.js';
import type { WindowContents } from './window-contents.js';
import { NO_CONTENTS } from './window-slot.js';

/**
 * Contents of `process` windows without an evictor: the window's records in arrival order (one array per
 * window; a record costs one slot of it).
 *
 * @example
 * ```ts
 * const contents = new BufferingContents(processAll);
 * ```
 */
export class BufferingContents<K, IN, OUT> implements WindowContents<K, IN, OUT> {
  constructor(private readonly fn: AllRecordsFunction<K, IN, OUT>) {}

  add(contents: unknown, value: IN): unknown {
    if (contents === NO_CONTENTS) return [value];
    (contents as IN[]).push(value);
    return contents;
  }

  merge(a: unknown, b: unknown): unknown {
    const into = a as IN[];
    for (const v of b as IN[]) into.push(v);
    return into;
  }

  fire(key: K, window: Window, contents: unknown, _clocks: unknown, out: (value: OUT) => void): unknown {
    this.fn(key, window, contents as IN[], out);
    return contents;
  }

  copy(contents: unknown): unknown {
    return [...(contents as IN[])];
  }
}
