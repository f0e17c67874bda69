/** One registered timer of the fake timer service. */
interface TimerEntry<K> {
  readonly time: number;
  readonly seq: number;
  readonly key: K;
}

/**
 * The timers of one kind (event or processing time) of a fake keyed timer service: deduplicated per (key, time),
 * due in time order (then registration order), deletion is lazy (a binary heap plus the set of live timers).
 *
 * @example
 * ```ts
 * const q = new TimerQueue<string>();
 * q.register('a', 9);
 * q.popDue(10); // { key: 'a', time: 9 }
 * ```
 */
export class TimerQueue<K> {
  private readonly heap: TimerEntry<K>[] = [];
  /** The live timers per key: one time, or several (most keys have one or two). */
  private readonly live = new Map<K, number | number[]>();
  private seq = 0;

  /** How many timers are registered. */
  get size(): number {
    let n = 0;
    for (const times of this.live.values()) n += typeof times === 'number' ? 1 : times.length;
    return n;
  }

  register(key: K, time: number): void {
    const times = this.live.get(key);
    if (times === undefined) this.live.set(key, time);
    else if (typeof times === 'number') {
      if (times === time) return;
      this.live.set(key, [times, time]);
    } else {
      if (times.includes(time)) return;
      times.push(time);
    }
    this.push({ time, seq: this.seq++, key });
  }

  delete(key: K, time: number): void {
    const times = this.live.get(key);
    if (times === undefined) return;
    if (typeof times === 'number') {
      if (times === time) this.live.delete(key);
      return;
    }
    const i = times.indexOf(time);
    if (i >= 0) times.splice(i, 1);
    if (times.length === 1) this.live.set(key, times[0]!);
    else if (times.length === 0) this.live.delete(key);
  }

  has(key: K, time: number): boolean {
    const times = this.live.get(key);
    return times === undefined ? false : typeof times === 'number' ? times === time : times.includes(time);
  }

  /** The times registered for `key`, ascending. */
  timesOf(key: K): number[] {
    const times = this.live.get(key);
    if (times === undefined) return [];
    return typeof times === 'number' ? [times] : [...times].sort((a, b) => a - b);
  }

  /** Removes and returns the earliest live timer with `time ≤ upTo`, if any. */
  popDue(upTo: number): { key: K; time: number } | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.time > upTo) return undefined;
      this.pop();
      if (this.has(top.key, top.time)) {
        this.delete(top.key, top.time);
        return { key: top.key, time: top.time };
      }
    }
  }

  private push(entry: TimerEntry<K>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}

function before<K>(a: TimerEntry<K>, b: TimerEntry<K>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
