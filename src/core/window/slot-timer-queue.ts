import { TimerRun } from './timer-run.js';
import type { WindowSlot } from './window-slot.js';

/** How many sorted runs a queue keeps before out-of-order timers go to its heap. */
const MAX_RUNS = 4;
/** Children per node of the heap (a 4-ary heap is half as deep as a binary one, and a node's children are adjacent). */
const ARITY = 4;

/**
 * The timers of one clock of the window engine (Flink's timers in a window's namespace): each entry is a time, a
 * key and the window slot it belongs to, so a due timer goes straight to its window (no search among the key's
 * windows). Due in time order (timers of equal time in any order, as in Flink). Timers mostly come in ascending
 * runs: each new window ends after the last, and when sessions grow, their moved timers ascend again (key after
 * key). A timer goes to the end of the sorted run whose last time is the greatest not after it (of up to four
 * runs), in O(1); the others into a 4-ary min-heap. Times are kept in arrays of their own (unboxed), keys and
 * slots side by side in another, so registering a timer allocates nothing but a run's chunk every 1,024 timers. Deletion is lazy: the slot forgets the
 * time, and a popped entry whose slot no longer has it is skipped; once stale entries are more than a third of the
 * live ones they are all dropped, so the queue stays bounded by the open windows' timers.
 *
 * @example
 * ```ts
 * const q = new SlotTimerQueue();
 * q.push(9, 'a', slot);
 * q.peekTime(); // 9
 * q.pop(); // q.key === 'a', q.slot === slot
 * ```
 */
export class SlotTimerQueue {
  /** The sorted runs (created as they are needed, at most `MAX_RUNS`). */
  private readonly runs: TimerRun[] = [];
  /** The other entries, a 4-ary min-heap: times, and key and slot of entry `i` at `2i`, `2i + 1`. */
  private readonly heapTimes: number[] = [];
  private readonly heapRefs: unknown[] = [];
  private stale = 0;
  /** The time of the entry the last `pop()` or `popDue()` removed. */
  time = Number.NaN;
  /** The key of the entry the last `pop()` or `popDue()` removed. */
  key: unknown = undefined;
  /** The slot of the entry the last `pop()` or `popDue()` removed. */
  slot: WindowSlot | undefined = undefined;

  /** Entries queued, stale ones included. */
  get size(): number {
    let n = this.heapTimes.length;
    for (const run of this.runs) n += run.length;
    return n;
  }

  /** The earliest time queued (`+Infinity` when empty). */
  peekTime(): number {
    let min = this.heapTimes.length > 0 ? (this.heapTimes[0] as number) : Number.POSITIVE_INFINITY;
    const runs = this.runs;
    for (let r = 0; r < runs.length; r++) {
      const time = (runs[r] as TimerRun).headTime();
      if (time < min) min = time;
    }
    return min;
  }

  /** Adds a timer of `key` at `time` for `slot` (the slot itself remembers its times, which dedupes them). */
  push(time: number, key: unknown, slot: WindowSlot): void {
    const runs = this.runs;
    let best: TimerRun | undefined;
    let bestTail = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r] as TimerRun;
      const tail = run.tail();
      if (tail <= time && (best === undefined || tail > bestTail)) {
        best = run;
        bestTail = tail;
      }
    }
    if (best === undefined && runs.length < MAX_RUNS) {
      best = new TimerRun();
      runs.push(best);
    }
    if (best !== undefined) best.append(time, key, slot);
    else this.heapPush(time, key, slot);
  }

  /** Removes the earliest entry into `time`, `key` and `slot` (call only when the queue is not empty). */
  pop(): void {
    this.popDue(Number.POSITIVE_INFINITY);
  }

  /**
   * Removes the earliest entry into `time`, `key` and `slot` if it is due at `upTo` (its time is not after it);
   * whether there was one. One pass over the runs, where `peekTime()` then `pop()` take two.
   */
  popDue(upTo: number): boolean {
    const heapTimes = this.heapTimes;
    let min = heapTimes.length > 0 ? (heapTimes[0] as number) : Number.POSITIVE_INFINITY;
    let from: TimerRun | undefined;
    const runs = this.runs;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r] as TimerRun;
      if (run.length === 0) continue;
      const time = run.headTime();
      if (time <= min) {
        min = time;
        from = run;
      }
    }
    if (min > upTo) return false;
    this.time = min;
    if (from !== undefined) {
      from.take(this);
      return true;
    }
    if (heapTimes.length === 0) return false;
    this.key = this.heapRefs[0];
    this.slot = this.heapRefs[1] as WindowSlot;
    this.heapPop();
    return true;
  }

  /**
   * A slot forgot one of its times without popping it: one more stale entry. When stale entries are more than
   * a third of the live ones, the queue is rebuilt from the entries `isLive` keeps.
   */
  forgot(isLive: (time: number, slot: WindowSlot) => boolean): void {
    this.stale++;
    if (this.stale * 4 <= this.size + 16) return;
    this.compact(isLive);
  }

  /** A popped entry was stale. */
  skipped(): void {
    if (this.stale > 0) this.stale--;
  }

  /** Forgets every entry. */
  clear(): void {
    this.runs.length = 0;
    this.heapTimes.length = 0;
    this.heapRefs.length = 0;
    this.stale = 0;
  }

  private compact(isLive: (time: number, slot: WindowSlot) => boolean): void {
    // A filtered run is still sorted; a filtered heap is not a heap any more: rebuild it.
    for (const run of this.runs) run.filter(isLive);
    const times = this.heapTimes;
    const refs = this.heapRefs;
    let n = 0;
    for (let i = 0; i < times.length; i++) {
      const time = times[i] as number;
      const slot = refs[2 * i + 1] as WindowSlot;
      if (!isLive(time, slot)) continue;
      times[n] = time;
      refs[2 * n] = refs[2 * i];
      refs[2 * n + 1] = slot;
      n++;
    }
    times.length = n;
    refs.length = 2 * n;
    for (let i = Math.floor((n - 2) / ARITY); i >= 0; i--) {
      this.siftDown(i, times[i] as number, refs[2 * i], refs[2 * i + 1]);
    }
    this.stale = 0;
  }

  private heapPush(time: number, key: unknown, slot: WindowSlot): void {
    const times = this.heapTimes;
    const refs = this.heapRefs;
    let i = times.length;
    times.push(time);
    // The hole moves up from the end while its parent is due later; the new entry goes where it stops.
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      const parentTime = times[parent] as number;
      if (parentTime <= time) break;
      times[i] = parentTime;
      refs[2 * i] = refs[2 * parent];
      refs[2 * i + 1] = refs[2 * parent + 1];
      i = parent;
    }
    times[i] = time;
    refs[2 * i] = key;
    refs[2 * i + 1] = slot;
  }

  private heapPop(): void {
    const times = this.heapTimes;
    const refs = this.heapRefs;
    const last = times.length - 1;
    const time = times[last] as number;
    const key = refs[2 * last];
    const slot = refs[2 * last + 1];
    times.length = last;
    refs.length = 2 * last;
    if (last > 0) this.siftDown(0, time, key, slot);
  }

  /** Puts the entry (`time`, `key`, `slot`) at `start` or below, moving earlier children up into the hole. */
  private siftDown(start: number, time: number, key: unknown, slot: unknown): void {
    const times = this.heapTimes;
    const refs = this.heapRefs;
    const n = times.length;
    let i = start;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= n) break;
      let child = first;
      let childTime = times[first] as number;
      const end = first + ARITY < n ? first + ARITY : n;
      for (let c = first + 1; c < end; c++) {
        const t = times[c] as number;
        if (t < childTime) {
          child = c;
          childTime = t;
        }
      }
      if (childTime >= time) break;
      times[i] = childTime;
      refs[2 * i] = refs[2 * child];
      refs[2 * i + 1] = refs[2 * child + 1];
      i = child;
    }
    times[i] = time;
    refs[2 * i] = key;
    refs[2 * i + 1] = slot;
  }
}
