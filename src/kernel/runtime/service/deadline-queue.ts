import type { PendingCall } from './pending-call.js';

/**
 * The calls of one channel that share a timeout value, in call order: their deadlines only grow, so the
 * earliest unsettled deadline is always at the head. Settled calls are skipped at the head (amortized O(1))
 * and the array is compacted, so memory stays proportional to the calls still waiting.
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

  /** Appends a call (after dropping settled calls at the head). */
  push(call: PendingCall): void {
    this.head();
    this.items.push(call);
  }

  /** The oldest call still waiting, or undefined. */
  head(): PendingCall | undefined {
    const items = this.items;
    let i = this.first;
    while (i < items.length && (items[i] as PendingCall).settled) items[i++] = undefined;
    if (i === items.length) {
      items.length = 0;
      this.first = 0;
      return undefined;
    }
    if (i > 1024 && i * 2 > items.length) {
      this.items = items.slice(i);
      i = 0;
    }
    this.first = i;
    return this.items[i];
  }

  /** Removes the head (after it timed out). */
  shift(): void {
    if (this.first < this.items.length) this.items[this.first++] = undefined;
  }
}
