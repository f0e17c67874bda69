import { Subscriber, Subscription, type Observer, type TeardownLogic } from 'rxjs';
import type { NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { ChainInput } from './pipe-chain-input.js';

/** What a chain needs of the `pipe` step it belongs to. */
export interface PipeChainOwner {
  readonly gate: JobGate;
  /** The next step: what the chain emits goes there. */
  readonly out: Step<unknown>;
  /** The chain completed or failed: forget it (and complete the step when it was the last one at the end). */
  release(chain: PipeChain): void;
  /** Applies the error policy to the chain's error. */
  fail(error: unknown): void;
}

/**
 * One running operator chain (of the whole instance, or of one key) and its end: the object the last operator
 * pushes into. It is an `Observer` and a `Subscription` at once, which RxJS takes as a subscriber as it is, so
 * each value goes from the last operator straight to the next step (no safe-subscriber wrapper, no closure).
 * Its `next` is compiled once per step instance (see `pipe-step-source.ts`). Its children are the operators'
 * subscribers: unsubscribing it tears the chain down. With one chain per key, every field counts thousands of
 * times: a chain holds no timer field (an idle timer is one of its teardowns) and no teardown array for its
 * first subscriber.
 *
 * @example
 * ```ts
 * const chain = new PipeChain(step, emit, 'sensor-1', 'sensor-1');
 * map(double)(new Observable((s) => { chain.input = chainInput(s); })).subscribe(chain);
 * chain.input?.next(21); // step.out.next(42, 'sensor-1', undefined)
 * ```
 */
export class PipeChain extends Subscription implements Observer<unknown> {
  /** The chain's input: the first operator's subscriber (set when the chain is subscribed). */
  input: ChainInput | undefined = undefined;
  /** True once the chain completed or failed. */
  ended = false;
  /**
   * True when the chain ended in a way after which its key's next record starts a fresh chain: it failed
   * (rebuilt under `'skip'`) or it was completed for being idle. A chain that its own operators completed
   * (`take`, `first`, `takeWhile`) leaves this false: its key is done, as a group of RxJS's `groupBy` is once
   * its subscriber is gone.
   */
  restarts = false;
  /** The key of the chain's records (`undefined` on an unkeyed stream), given to everything it emits. */
  readonly key: unknown;
  /** The latest event time the chain has seen: its outputs carry it (`undefined` while it saw none). */
  timestamp: number | undefined = undefined;
  /**
   * Passes one value the chain emitted on (the step's compiled emit, called with the chain as `this`):
   * nothing once the chain ended (an operator may emit after it completed, a hand-written one that does
   * not guard itself), else to the next step, or through {@link later} while the job is paused. A field, not
   * a method of a class per step: all chains of the process then share one shape, and the RxJS code that calls
   * `next` reads it the same way whatever step the chain belongs to.
   */
  readonly next: (this: PipeChain, value: unknown) => void;
  /** The key as the step's map holds it. */
  readonly normalized: NormalizedKey;
  /** Scheduler time of the chain's latest record (kept only with an idle timeout). */
  last = 0;
  private readonly owner: PipeChainOwner;
  /**
   * The first subscriber that joined the chain (the last operator's, which subscribes with the chain as its
   * destination), held here rather than in the array RxJS allocates for a subscription's teardowns: that array
   * would be one more object per key.
   */
  private child: Subscription | undefined = undefined;

  constructor(
    owner: PipeChainOwner,
    next: (this: PipeChain, value: unknown) => void,
    key: unknown,
    normalized: NormalizedKey,
  ) {
    super();
    this.owner = owner;
    this.next = next;
    this.key = key;
    this.normalized = normalized;
  }

  /**
   * Tears down with the chain: the first subscriber is kept in a field, anything else as RxJS does (an operator
   * may add its own teardowns, such as a timer's action, to its destination).
   */
  override add(teardown: TeardownLogic): void {
    if (this.child === undefined && teardown instanceof Subscriber && !this.closed && !teardown.closed) {
      this.child = teardown;
      return;
    }
    super.add(teardown);
  }

  override remove(teardown: Exclude<TeardownLogic, void>): void {
    if (teardown === this.child) {
      this.child = undefined;
      return;
    }
    super.remove(teardown);
  }

  /** Unsubscribes the first subscriber, then the rest as RxJS does (the order in which they were added). */
  override unsubscribe(): void {
    if (this.closed) return;
    const child = this.child;
    this.child = undefined;
    let failure: { error: unknown } | undefined;
    try {
      child?.unsubscribe();
    } catch (error) {
      failure = { error };
    }
    super.unsubscribe();
    if (failure !== undefined) throw failure.error;
  }

  /** Passes `value` on once the job runs again (it was emitted while the job is paused). */
  later(value: unknown): void {
    const { owner, key, timestamp } = this;
    owner.gate.whenRunning(() => {
      owner.out.next(value, key, timestamp);
    });
  }

  /**
   * The chain failed: the error policy first, then the release. In that order a chain that fails while it
   * completes at the end of input (a timer or inner Observable failing after the input ended) fails the job
   * under `'fail'` before its release could complete the step, and so the job.
   */
  error(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.restarts = true;
    this.owner.fail(error);
    this.owner.release(this);
  }

  complete(): void {
    if (this.ended) return;
    this.ended = true;
    this.owner.release(this);
  }
}
