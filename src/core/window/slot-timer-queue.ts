import type { WindowSlot } from './window-slot.js';

/** Timers in parallel arrays (no object per timer): time, key, slot. */
class TimerColumns {
  readonly times: number[] = [];
  readonly keys: unknown[] = [];
  readonly slots: (WindowSlot | undefined)[] = [];

  set(i: number, time: number, key: unknown, slot: WindowSlot | undefined): void {
    this.times[i] = time;
    this.keys[i] = key;
    this.slots[i] = slot;
  }

  move(from: number, to: number): void {
    this.set(to, this.times[from] as number, this.keys[from], this.slots[from]);
  }

  /** Whether entry `a` is due before entry `b`. */
  before(a: number, b: number): boolean {
    return (this.times[a] as number) < (this.times[b] as number);
  }

  truncate(n: number): void {
    this.times.length = n;
    this.keys.length = n;
    this.slots.length = n;
  }
}

/**
 * The timers of one clock of the window engine (Flink's timers in a window's namespace): each entry is a time, a
 * key and the window slot it belongs to, so a due timer goes straight to its window (no search among the key's
 * windows). Due in time order (timers of equal time in any order, as in Flink). Timers mostly come in ascending time (each new window
 * ends after the last): those go to the end of a sorted run, in O(1); the others into a binary min-heap. Entries
 * are kept in parallel arrays, so registering a timer allocates nothing. Deletion is lazy: the slot forgets the
 * time, and a popped entry whose slot no longer has it is skipped; once stale entries are more than a third of the live
 * ones they are all dropped, so the queue stays bounded by the open windows' timers.
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
  /** Entries pushed in ascending order, from `head` on. */
  private readonly run = new TimerColumns();
  private head = 0;
  /** The other entries, a binary min-heap. */
  private readonly heap = new TimerColumns();
  private stale = 0;
  /** The key of the entry the last `pop()` removed. */
  key: unknown = undefined;
  /** The slot of the entry the last `pop()` removed. */
  slot: WindowSlot | undefined = undefined;

  /** Entries queued, stale ones included. */
  get size(): number {
    return this.run.times.length - this.head + this.heap.times.length;
  }

  /** The earliest time queued (`+Infinity` when empty). */
  peekTime(): number {
    const r = this.head < this.run.times.length ? (this.run.times[this.head] as number) : Infinity;
    const h = this.heap.times.length > 0 ? (this.heap.times[0] as number) : Infinity;
    return r < h ? r : h;
  }

  /** Adds a timer of `key` at `time` for `slot` (the slot itself remembers its times, which dedupes them). */
  push(time: number, key: unknown, slot: WindowSlot): void {
    const run = this.run;
    const n = run.times.length;
    if (n === this.head || (run.times[n - 1] as number) <= time) {
      run.set(n, time, key, slot);
      return;
    }
    this.heapPush(time, key, slot);
  }

  /** Removes the earliest entry into `key` and `slot` (call only when `peekTime()` is finite). */
  pop(): void {
    const run = this.run;
    const heap = this.heap;
    const fromRun =
      this.head < run.times.length &&
      (heap.times.length === 0 || (run.times[this.head] as number) <= (heap.times[0] as number));
    if (fromRun) {
      const i = this.head++;
      this.key = run.keys[i];
      this.slot = run.slots[i];
      run.keys[i] = undefined;
      run.slots[i] = undefined;
      if (this.head === run.times.length) {
        run.truncate(0);
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > run.times.length) {
        this.dropHead();
      }
      return;
    }
    this.key = heap.keys[0];
    this.slot = heap.slots[0];
    this.heapPop();
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
    this.run.truncate(0);
    this.head = 0;
    this.heap.truncate(0);
    this.stale = 0;
  }

  private dropHead(): void {
    const run = this.run;
    const n = run.times.length - this.head;
    for (let i = 0; i < n; i++) run.move(this.head + i, i);
    run.truncate(n);
    this.head = 0;
  }

  private compact(isLive: (time: number, slot: WindowSlot) => boolean): void {
    this.dropHead();
    for (const columns of [this.run, this.heap]) {
      let n = 0;
      for (let i = 0; i < columns.times.length; i++) {
        if (!isLive(columns.times[i] as number, columns.slots[i] as WindowSlot)) continue;
        columns.move(i, n++);
      }
      columns.truncate(n);
    }
    // A filtered run is still sorted; a filtered heap is not a heap any more: rebuild it.
    const heap = this.heap;
    for (let i = (heap.times.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.stale = 0;
  }

  private heapPush(time: number, key: unknown, slot: WindowSlot): void {
    const heap = this.heap;
    let i = heap.times.length;
    heap.set(i, time, key, slot);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!heap.before(i, parent)) break;
      heap.move(parent, i);
      heap.set(parent, time, key, slot);
      i = parent;
    }
  }

  private heapPop(): void {
    const heap = this.heap;
    const last = heap.times.length - 1;
    heap.move(last, 0);
    heap.truncate(last);
    if (last > 0) this.siftDown(0);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const n = heap.times.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && heap.before(r, l) ? r : l;
      if (!heap.before(child, i)) return;
      const time = heap.times[i] as number;
      const key = heap.keys[i];
      const slot = heap.slots[i];
      heap.move(child, i);
      heap.set(child, time, key, slot);
      i = child;
    }
  }
}
