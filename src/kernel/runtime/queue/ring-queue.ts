/**
 * A first-in, first-out queue on a ring buffer: O(1) push and shift, no array shifting, and memory that
 * follows the number of items held (the buffer grows by doubling and shrinks by half when it is a quarter
 * full), never the number of items ever queued.
 *
 * @example
 * ```ts
 * const q = new RingQueue<number>();
 * q.push(1); q.push(2);
 * q.shift(); // 1
 * q.length;  // 1
 * ```
 */
export class RingQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(private readonly minCapacity = 16) {
    this.items = new Array<T | undefined>(minCapacity);
  }

  /** Number of items held. */
  get length(): number {
    return this.count;
  }

  /** Slots allocated (for memory checks). */
  get capacity(): number {
    return this.items.length;
  }

  /** Appends an item at the tail. */
  push(item: T): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  /** Removes and returns the item at the head (`undefined` when empty). */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    if (this.items.length > this.minCapacity && this.count * 4 <= this.items.length) {
      this.resize(this.items.length / 2);
    }
    return item;
  }

  /** The item at the head, without removing it. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The item at position `index` from the head (`undefined` past the end). */
  at(index: number): T | undefined {
    return index < 0 || index >= this.count ? undefined : this.items[(this.head + index) % this.items.length];
  }

  /** Removes every item. */
  clear(): void {
    this.items = new Array<T | undefined>(this.minCapacity);
    this.head = 0;
    this.count = 0;
  }

  private resize(capacity: number): void {
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
