import { Subscriber } from 'rxjs';

/**
 * What the compiled entry of a `pipe` step hands each record to: the subscriber that the chain's first operator
 * subscribed to the chain's source with, seen through the two members RxJS's own `Subscriber.next` uses. The
 * entry does what `Subscriber.next` does, inline: `_next(value)` while the subscriber runs, `next(value)` once it
 * stopped (RxJS then reports the stopped notification as usual). `Subscriber.next` is one function shared by every
 * subscriber of the process, so its call into `_next` sees every kind of subscriber there is and is not inlined;
 * the entry is compiled per step instance, so its call into `_next` sees only this step's first operator.
 *
 * @example
 * ```ts
 * const input = chainInput(subscriber);
 * if (input.isStopped) input.next(42);
 * else input._next(42);
 * ```
 */
export interface ChainInput {
  readonly isStopped: boolean;
  /** True once the subscriber was unsubscribed (an operator that resubscribes then gets a new input). */
  readonly closed: boolean;
  _next(value: unknown): void;
  next(value: unknown): void;
  complete(): void;
}

/**
 * The members of an RxJS 7 `Subscriber` that its `next` reads (protected, and marked internal for RxJS 8: the
 * peer range `^7.8.0` keeps them; {@link chainInput} checks they are there before it relies on them).
 */
interface SubscriberInternals {
  readonly isStopped?: unknown;
  readonly _next?: unknown;
  readonly next: unknown;
}

/**
 * Passes every record to a subscriber whose `next` is not RxJS's own (an object of another rxjs copy, or a
 * hand-written subscriber that overrides `next`), so that the entry can treat every chain input alike.
 */
class ForwardingInput implements ChainInput {
  readonly isStopped = false;

  constructor(private readonly target: Pick<Subscriber<unknown>, 'next' | 'complete' | 'closed'>) {}

  get closed(): boolean {
    return this.target.closed;
  }

  _next(value: unknown): void {
    this.target.next(value);
  }

  next(value: unknown): void {
    this.target.next(value);
  }

  complete(): void {
    this.target.complete();
  }
}

/**
 * The chain input for `subscriber`: the subscriber itself when it is an RxJS `Subscriber` that keeps RxJS's
 * `next` (so `isStopped` and `_next` mean what `Subscriber.next` reads), else a forwarder to its `next`.
 *
 * @example
 * ```ts
 * new Observable((s) => { chain.input = chainInput(s); });
 * ```
 */
export function chainInput(subscriber: Subscriber<unknown>): ChainInput {
  const s = subscriber as unknown as SubscriberInternals;
  const own =
    subscriber instanceof Subscriber &&
    s.next === Subscriber.prototype.next &&
    typeof s.isStopped === 'boolean' &&
    typeof s._next === 'function';
  return own ? (s as ChainInput) : new ForwardingInput(subscriber);
}

/**
 * The input of a chain whose source was subscribed more than once (an operator such as
 * `(s) => merge(s.pipe(a), s.pipe(b))`): every record goes to each subscriber still open, in the order they
 * subscribed, as a Subject would give it; closed ones are dropped as they are met.
 */
class FanOutInput implements ChainInput {
  readonly isStopped = false;

  constructor(private inputs: ChainInput[]) {}

  get closed(): boolean {
    return this.inputs.every((i) => i.closed);
  }

  add(input: ChainInput): void {
    this.inputs = this.inputs.filter((i) => !i.closed);
    this.inputs.push(input);
  }

  _next(value: unknown): void {
    const inputs = this.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as ChainInput;
      if (input.isStopped) input.next(value);
      else input._next(value);
    }
  }

  next(value: unknown): void {
    this._next(value);
  }

  complete(): void {
    for (const input of this.inputs.slice()) input.complete();
  }
}

/**
 * The chain's input once `subscriber` subscribed to its source: its own input when it is the only open
 * subscriber (the usual case: one operator chain subscribes once; an operator that resubscribes, such as
 * `repeat`, replaces a closed one), else a fan-out to every open subscriber.
 *
 * @example
 * ```ts
 * new Observable((s) => { chain.input = joinInput(chain.input, s); });
 * ```
 */
export function joinInput(current: ChainInput | undefined, subscriber: Subscriber<unknown>): ChainInput {
  const input = chainInput(subscriber);
  if (current === undefined || current.closed) return input;
  if (current instanceof FanOutInput) {
    current.add(input);
    return current;
  }
  return new FanOutInput([current, input]);
}
