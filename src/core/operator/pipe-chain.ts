import { Subscription, type Observer, type Subscriber } from 'rxjs';
import type { NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { Step } from '../../kernel/runtime/step.js';

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
 * subscribers: unsubscribing it tears the chain down.
 *
 * @example
 * ```ts
 * const chain = new PipeChain(step, emit, 'sensor-1', 'sensor-1');
 * map(double)(new Observable((s) => { chain.input = s; })).subscribe(chain);
 * chain.input?.next(21); // step.out.next(42, 'sensor-1', undefined)
 * ```
 */
export class PipeChain extends Subscription implements Observer<unknown> {
  /** The chain's input: the subscriber of its source Observable (set when the chain is subscribed). */
  input: Subscriber<unknown> | undefined = undefined;
  /** Scheduler time of the chain's latest record (kept only with an idle timeout). */
  last = 0;
  timer: Subscription | undefined = undefined;
  /** True once the chain completed or failed. */
  ended = false;
  /** The latest event time the chain has seen: its outputs carry it (`undefined` while it saw none). */
  timestamp: number | undefined = undefined;

  constructor(
    private readonly owner: PipeChainOwner,
    /**
     * Passes one value the chain emitted on (the step's compiled emit, called with the chain as `this`):
     * nothing once the chain ended (an operator may emit after it completed, a hand-written one that does
     * not guard itself), else to the next step, or through {@link later} while the job is paused.
     */
    readonly next: (this: PipeChain, value: unknown) => void,
    /** The key of the chain's records (`undefined` on an unkeyed stream), given to everything it emits. */
    readonly key: unknown,
    /** The key as the step's map holds it. */
    readonly normalized: NormalizedKey,
  ) {
    super();
  }

  /** Passes `value` on once the job runs again (it was emitted while the job is paused). */
  later(value: unknown): void {
    const { owner, key, timestamp } = this;
    owner.gate.whenRunning(() => {
      owner.out.next(value, key, timestamp);
    });
  }

  error(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.owner.release(this);
    this.owner.fail(error);
  }

  complete(): void {
    if (this.ended) return;
    this.ended = true;
    this.owner.release(this);
  }
}
