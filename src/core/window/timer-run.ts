import type { WindowSlot } from './window-slot.js';

/** Entries per chunk: a chunk's arrays stay small objects (no large-object allocation, no copying as they grow). */
const CHUNK = 1024;

/**
 * One chunk of a run, allocated at its full size: times (unboxed doubles), key and slot of entry `i` at `2i` and
 * `2i + 1`, and how many entries it holds.
 */
interface Chunk {
  readonly times: number[];
  readonly refs: unknown[];
  n: number;
}

function newChunk(): Chunk {
  return { times: new Array<number>(CHUNK).fill(0), refs: new Array<unknown>(2 * CHUNK), n: 0 };
}

/**
 * Timers in ascending time order, appended at the end and taken from the front, for `SlotTimerQueue`. Entries are
 * kept in chunks of a fixed size, so that a long run never grows (and copies) one large array: appending
 * allocates only a small chunk now and then, and the chunks already taken are dropped whole.
 *
 * @example
 * ```ts
 * const run = new TimerRun();
 * run.append(9, 'a', slot);
 * run.headTime(); // 9
 * run.take(queue); // queue.key === 'a', queue.slot === slot
 * ```
 */
export class TimerRun {
  private chunks: Chunk[] = [];
  /** The chunk and the index in it of the first entry. */
  private first = 0;
  private head = 0;
  /** Entries held. */
  length = 0;

  /** The time of the first entry (`+Infinity` when empty). */
  headTime(): number {
    if (this.length === 0) return Number.POSITIVE_INFINITY;
    return (this.chunks[this.first] as Chunk).times[this.head] as number;
  }

  /** The time of the last entry (`-Infinity` when empty: an empty run takes any time). */
  tail(): number {
    if (this.length === 0) return Number.NEGATIVE_INFINITY;
    const last = this.chunks[this.chunks.length - 1] as Chunk;
    return last.times[last.n - 1] as number;
  }

  /** Adds an entry at the end (its time must not be before `tail()`). */
  append(time: number, key: unknown, slot: WindowSlot): void {
    let last = this.chunks[this.chunks.length - 1];
    if (last === undefined || last.n === CHUNK) {
      last = newChunk();
      this.chunks.push(last);
    }
    const i = last.n++;
    last.times[i] = time;
    last.refs[2 * i] = key;
    last.refs[2 * i + 1] = slot;
    this.length++;
  }

  /** Removes the first entry into `into.key` and `into.slot` (call only when not empty). */
  take(into: { key: unknown; slot: WindowSlot | undefined }): void {
    const chunk = this.chunks[this.first] as Chunk;
    const i = this.head;
    into.key = chunk.refs[2 * i];
    into.slot = chunk.refs[2 * i + 1] as WindowSlot;
    chunk.refs[2 * i] = undefined;
    chunk.refs[2 * i + 1] = undefined;
    this.length--;
    if (this.length === 0) {
      this.chunks = [];
      this.first = 0;
      this.head = 0;
    } else if (++this.head === chunk.n) {
      this.head = 0;
      this.first++;
      if (this.first >= 32 && this.first * 2 >= this.chunks.length) {
        this.chunks = this.chunks.slice(this.first);
        this.first = 0;
      }
    }
  }

  /** Keeps only the entries `isLive` keeps, in order (in place: the live entries move to the front). */
  filter(isLive: (time: number, slot: WindowSlot) => boolean): void {
    const chunks = this.chunks;
    const start = chunks[this.first];
    if (start === undefined) return;
    /** The chunk being written: never after the one being read. */
    let to: Chunk = start;
    let w = 0;
    let toIndex = this.first;
    let head = this.head;
    for (let c = this.first; c < chunks.length; c++) {
      const { times, refs, n } = chunks[c] as Chunk;
      for (let i = head; i < n; i++) {
        const time = times[i] as number;
        const slot = refs[2 * i + 1] as WindowSlot;
        if (!isLive(time, slot)) continue;
        if (w === CHUNK) {
          to.n = CHUNK;
          to = chunks[++toIndex] as Chunk;
          w = 0;
        }
        to.times[w] = time;
        to.refs[2 * w] = refs[2 * i];
        to.refs[2 * w + 1] = slot;
        w++;
      }
      head = 0;
    }
    to.refs.fill(undefined, 2 * w, 2 * to.n);
    to.n = w;
    this.length = (toIndex - this.first) * CHUNK + w;
    this.chunks = this.length === 0 ? [] : chunks.slice(this.first, toIndex + 1);
    this.first = 0;
    this.head = 0;
  }
}
