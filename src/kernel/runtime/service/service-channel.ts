import type { Logger } from 'loglevel';
import { isObservable, Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import { ServiceCallError } from '../../../errors/service-call-error.js';
import { ServiceStoppedError } from '../../../errors/service-stopped-error.js';
import { ServiceTimeoutError } from '../../../errors/service-timeout-error.js';
import { isPromiseLike } from '../is-promise-like.js';
import { DeadlineQueue } from './deadline-queue.js';
import { LatencyHistogram } from './latency-histogram.js';
import { PendingCall } from './pending-call.js';
import type { ResolvedServiceOptions } from './service-options.js';
import type { ServiceRequest } from './service-request.js';
import type { ServiceStats } from './service-stats.js';

/** Longest delay a timer can take (setInterval's limit); longer timeouts never fire. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The request/response channel of one service instance in a job. Calls become requests `{ id, method, args }`
 * (observable on the `requests` Subject), with a correlation id from a per-channel counter; the caller waits in
 * a `Map<id, PendingCall>`. A worker takes requests first in, first out, runs at most `concurrency` at once,
 * calls the method and turns its value, Promise or Observable (first value) into a reply, which is delivered to
 * the call with the same id only. Deadlines of calls are watched by one scheduler action per channel, not one
 * timer per call.
 *
 * A call whose caller gives up (it timed out, or its `callService$` subscription was cancelled) frees its slot
 * at once, whatever its method returned: a queued request is not run, a running method's Observable is
 * unsubscribed, the call's AbortSignal (`ctx.signal`, read when the method starts) is aborted, and a later
 * reply or error of that call is dropped (counted as `late`). So `concurrency` bounds the calls whose callers
 * still wait; a Promise that cannot be cancelled may still be running in the service after its slot was
 * given to the next request, which is why a service that holds resources per call should honour the signal.
 * `close()` answers every waiting call with `ServiceStoppedError` and aborts the signals of running ones.
 *
 * @example
 * ```ts
 * const channel = new ServiceChannel('calc', new Calc(3), { concurrency: 1, timeout: 10_000 }, asyncScheduler, logger);
 * channel.open();
 * await channel.call('process', [2], 500); // 6
 * channel.close();
 * ```
 */
export class ServiceChannel {
  /** Every request the channel receives, in order (emitted only while someone subscribes). */
  readonly requests = new Subject<ServiceRequest>();
  /** Requests handled at once. */
  readonly concurrency: number;
  /** Timeout of calls that give none, in ms. */
  readonly timeout: number;

  private readonly pending = new Map<number, PendingCall>();
  private seq = 0;
  private queue: (PendingCall | undefined)[] = [];
  private queueHead = 0;
  private active = 0;
  private pumping = false;
  private opened = false;
  private closed = false;
  /** The error calls get once the channel is closed (ServiceStoppedError unless `close` was given another). */
  private refusal: (method: string) => Error = (method) => new ServiceStoppedError(this.name, method);
  /** The call whose method is being invoked right now (synchronously), for `currentSignal()`. */
  private current: PendingCall | undefined;
  private readonly deadlines = new Map<number, DeadlineQueue>();
  private lastTimeout = NaN;
  private lastQueue: DeadlineQueue | undefined;
  private sweep: Subscription | undefined;
  private sweepAt = Infinity;

  private calls = 0;
  private replies = 0;
  private errors = 0;
  private timeouts = 0;
  private late = 0;
  private readonly latency = new LatencyHistogram();

  constructor(
    /** Name the service is registered under. */
    readonly name: string,
    private readonly target: object,
    options: ResolvedServiceOptions,
    /** The scheduler the service's job runs on: deadlines are measured on it. */
    readonly scheduler: SchedulerLike,
    private readonly logger: Logger,
  ) {
    this.concurrency = options.concurrency;
    this.timeout = options.timeout;
  }

  /** True once the job running the service has ended: new calls fail with ServiceStoppedError. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts handling requests (those that came before wait until now). */
  open(): void {
    if (this.closed || this.opened) return;
    this.opened = true;
    this.pump();
  }

  /**
   * Calls `method` with `args`; the Promise settles with the reply, a ServiceCallError, a ServiceTimeoutError
   * after `timeout` ms of the scheduler, or a ServiceStoppedError.
   */
  call(method: string, args: readonly unknown[], timeout: number): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      this.submit(method, args, timeout, resolve, reject);
    });
  }

  /**
   * Sends one request and returns its correlation id; exactly one of `resolve` / `reject` is called later (or
   * at once), unless the call is cancelled first. A `timeout` of `Infinity` sets no deadline.
   */
  submit(
    method: string,
    args: readonly unknown[],
    timeout: number,
    resolve: (value: unknown) => void,
    reject: (error: Error) => void,
  ): number {
    if (this.closed) {
      reject(this.refusal(method));
      return 0;
    }
    const id = ++this.seq;
    const watched = timeout <= MAX_TIMER_MS;
    const deadline = watched ? this.scheduler.now() + timeout : Infinity;
    const call = new PendingCall(id, method, args, timeout, resolve, reject, deadline, performance.now());
    this.pending.set(id, call);
    this.calls++;
    if (watched) this.watch(call);
    if (this.requests.observed) this.requests.next({ id, method, args });
    this.queue.push(call);
    this.pump();
    return id;
  }

  /**
   * Gives up waiting for call `id` (its caller unsubscribed): a queued request is not run, a running one frees
   * its slot (its Observable is unsubscribed, its AbortSignal aborted), and a later reply is dropped.
   */
  cancel(id: number): void {
    const call = this.pending.get(id);
    if (call === undefined) return;
    this.pending.delete(id);
    call.settled = true;
    this.release(call, undefined);
  }

  /**
   * The AbortSignal of the call whose method is being invoked right now, or undefined outside a method call.
   * A service reads it (as `ctx.signal`) synchronously when its method starts; it is aborted when that call's
   * caller gives up or the job ends.
   */
  currentSignal(): AbortSignal | undefined {
    const call = this.current;
    if (call === undefined) return undefined;
    return (call.controller ??= new AbortController()).signal;
  }

  /** Counts a timeout detected by the caller (RxJS `timeout`, which has already cancelled the call). */
  countTimeout(): void {
    this.timeouts++;
  }

  /**
   * Ends the channel: every waiting call fails with ServiceStoppedError, later calls too; `refusal` gives
   * another error instead (a service whose setup failed refuses calls with a ServiceSetupError).
   */
  close(refusal?: (method: string) => Error): void {
    if (this.closed) return;
    this.closed = true;
    if (refusal !== undefined) this.refusal = refusal;
    this.sweep?.unsubscribe();
    this.sweep = undefined;
    this.queue = [];
    this.queueHead = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const call of waiting) {
      call.settled = true;
      const error = this.refusal(call.method);
      this.release(call, error);
      call.reject(error);
    }
    this.requests.complete();
  }

  /** The channel's counters. */
  stats(): ServiceStats {
    return {
      service: this.name,
      concurrency: this.concurrency,
      calls: this.calls,
      replies: this.replies,
      errors: this.errors,
      timeouts: this.timeouts,
      late: this.late,
      pending: this.pending.size,
      latencyMs: { p50: this.latency.quantile(0.5), p99: this.latency.quantile(0.99) },
    };
  }

  private pump(): void {
    if (this.pumping || !this.opened || this.closed) return;
    this.pumping = true;
    while (this.active < this.concurrency && this.queueHead < this.queue.length) {
      const call = this.queue[this.queueHead] as PendingCall;
      this.queue[this.queueHead++] = undefined;
      if (call.settled) continue;
      this.active++;
      call.running = true;
      this.invoke(call);
    }
    const q = this.queue;
    if (this.queueHead === q.length) {
      q.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > q.length) {
      this.queue = q.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.pumping = false;
  }

  private invoke(call: PendingCall): void {
    const fn = (this.target as Record<string, unknown>)[call.method];
    if (typeof fn !== 'function') {
      this.fail(
        call,
        new TypeError(`Service ${this.name} has no method '${call.method}': call one of its methods`),
      );
      return;
    }
    let result: unknown;
    const previous = this.current;
    this.current = call;
    try {
      result = (fn as (...args: unknown[]) => unknown).apply(this.target, call.args as unknown[]);
    } catch (e) {
      this.current = previous;
      this.fail(call, e);
      return;
    }
    this.current = previous;
    if (result !== null && typeof result === 'object') {
      if (isObservable(result)) {
        this.first(call, result);
        return;
      }
      if (isPromiseLike(result)) {
        result.then(
          (value) => {
            this.reply(call, value);
          },
          (error: unknown) => {
            this.fail(call, error);
          },
        );
        return;
      }
    }
    this.reply(call, result);
  }

  /** Replies with the first value of `source` (or `undefined` if it completes empty), then unsubscribes. */
  private first(call: PendingCall, source: Observable<unknown>): void {
    let done = false;
    const holder = new Subscription();
    call.subscription = holder;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      if (call.subscription === holder) call.subscription = undefined;
      holder.unsubscribe();
      return true;
    };
    holder.add(
      source.subscribe({
        next: (value) => {
          if (finish()) this.reply(call, value);
        },
        error: (error: unknown) => {
          if (finish()) this.fail(call, error);
        },
        complete: () => {
          if (finish()) this.reply(call, undefined);
        },
      }),
    );
  }

  /**
   * Frees the slot of a call whose caller gave up or whose job ended: unsubscribes its Observable, aborts its
   * signal (with `reason`), and lets the next request run.
   */
  private release(call: PendingCall, reason: Error | undefined): void {
    if (!call.running) return;
    call.running = false;
    this.active--;
    const subscription = call.subscription;
    if (subscription !== undefined) {
      call.subscription = undefined;
      subscription.unsubscribe();
    }
    call.controller?.abort(reason);
    this.pump();
  }

  private reply(call: PendingCall, value: unknown): void {
    if (!call.running) {
      if (!this.closed) this.late++;
      return;
    }
    this.done(call);
    this.replies++;
    call.resolve(value);
    this.pump();
  }

  private fail(call: PendingCall, error: unknown): void {
    if (!call.running) {
      if (!this.closed) this.late++;
      this.logger.warn(`service ${this.name}.${call.method} failed after its caller gave up:`, error);
      return;
    }
    this.done(call);
    this.errors++;
    call.reject(new ServiceCallError(this.name, call.method, error));
    this.pump();
  }

  /** Settles a running call that got its answer: frees its slot and records its latency. */
  private done(call: PendingCall): void {
    call.running = false;
    this.active--;
    this.pending.delete(call.id);
    call.settled = true;
    this.latency.record(performance.now() - call.started);
  }

  private watch(call: PendingCall): void {
    let queue = this.lastQueue;
    if (call.timeout !== this.lastTimeout || queue === undefined) {
      queue = this.deadlines.get(call.timeout);
      if (queue === undefined) {
        queue = new DeadlineQueue();
        this.deadlines.set(call.timeout, queue);
      }
      this.lastTimeout = call.timeout;
      this.lastQueue = queue;
    }
    queue.push(call);
    if (call.deadline < this.sweepAt) this.scheduleSweep(call.deadline);
  }

  private scheduleSweep(at: number): void {
    this.sweep?.unsubscribe();
    this.sweepAt = at;
    this.sweep = this.scheduler.schedule(
      () => {
        this.sweep = undefined;
        this.sweepAt = Infinity;
        this.expire();
      },
      Math.max(0, at - this.scheduler.now()),
    );
  }

  /** Times out every call whose deadline has passed, then watches the next deadline. */
  private expire(): void {
    if (this.closed) return;
    const now = this.scheduler.now();
    let next = Infinity;
    for (const queue of this.deadlines.values()) {
      let call = queue.head();
      while (call !== undefined && call.deadline <= now) {
        queue.shift();
        this.pending.delete(call.id);
        call.settled = true;
        this.timeouts++;
        const error = new ServiceTimeoutError(this.name, call.method, call.timeout);
        call.reject(error);
        this.release(call, error);
        call = queue.head();
      }
      if (call !== undefined && call.deadline < next) next = call.deadline;
    }
    if (next !== Infinity) this.scheduleSweep(next);
  }
}
