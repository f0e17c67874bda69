import type { PendingCall } from './pending-call.js';

/**
 * The calls of one channel that share a timeout value, in call order: their deadlines only grow, so the
 * earliest unsettled deadline is always at the head. Settled calls are skipped at the head (amortized O(1))
 * and the array is compacted, so memory stays proportional to the calls still waiting. The array's length is
 * never set on the per-call path (a queue that empties is reset by moving its indices, not by truncating it).
 *
 * @example
 * ```ts
 * const q = new DeadlineQueue();
 * q.push(call);
 * q.head()?.deadline; // the next deadline to watch
 * ```
 */
export class DeadlineQueue {
  private items: (PendingCall | undefined)[] = [];
  private first = 0;
  /** One past the last call held (slots from here on are empty). */
  private end = 0;

  /** Appends a call (after dropping settled calls at the head). */
  push(call: PendingCall): void {
    this.head();
    const items = this.items;
    if (this.end < items.length) items[this.end] = call;
    else items.push(call);
    this.end++;
  }

  /** The oldest call still waiting, or undefined. */
  head(): PendingCall | undefined {
    const items = this.items;
    const end = this.end;
    let i = this.first;
    while (i < end && (items[i] as PendingCall).settled) items[i++] = undefined;
    if (i === end) {
      this.first = 0;
      this.end = 0;
      return undefined;
    }
    if (i > 1024 && i * 2 > end) {
      items.copyWithin(0, i, end);
      items.fill(undefined, end - i, end);
      this.end = end - i;
      i = 0;
    }
    this.first = i;
    return items[i];
  }

  /** Removes the head (after it timed out). */
  shift(): void {
    if (this.first < this.end) this.items[this.first++] = undefined;
  }
}
