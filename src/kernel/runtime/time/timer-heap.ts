/** One timer in a heap: when it fires and for which key. */
export interface TimerEntry {
  readonly time: number;
  readonly key: unknown;
}

/**
 * A binary min-heap of timers by time (ties in insertion order do not matter: timers of equal time fire in
 * any order, as in Flink). Deleted timers are not removed from it: whoever pops checks they are still set.
 *
 * @example
 * ```ts
 * const heap = new TimerHeap();
 * heap.push({ time: 20, key: 'a' });
 * heap.push({ time: 10, key: 'b' });
 * heap.pop()?.key; // 'b'
 * ```
 */
export class TimerHeap {
  private readonly items: TimerEntry[] = [];

  /** Number of entries (deleted timers included until they are popped). */
  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, without removing it. */
  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  push(entry: TimerEntry): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as TimerEntry).time <= entry.time) break;
      a[i] = a[parent] as TimerEntry;
      i = parent;
    }
    a[i] = entry;
  }

  /** Removes and returns the earliest entry. */
  pop(): TimerEntry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as TimerEntry).time < (a[l] as TimerEntry).time ? r : l;
      if ((a[child] as TimerEntry).time >= last.time) break;
      a[i] = a[child] as TimerEntry;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
