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
 * on the `requests` Subject, with a correlation id from a per-channel counter; the caller waits in a
 * `Map<id, PendingCall>`. A worker takes requests first in, first out, runs at most `concurrency` at once, calls
 * the method and turns its value, Promise or Observable (first value) into a reply, which is delivered to the
 * call with the same id only. Timeouts and cancels delete the entry, so a late reply finds nothing and is
 * dropped; a request whose caller is already gone is not run, and a method's Observable whose caller gave up is
 * unsubscribed, freeing its slot (a Promise cannot be cancelled: its slot stays busy until it settles). Deadlines of Promise-style calls are watched by
 * one scheduler action per channel, not one timer per call. `close()` answers every waiting call with
 * `ServiceStoppedError`.
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
  /** Every request the channel receives, in order. */
  readonly requests = new Subject<ServiceRequest>();
  /** Requests handled at once. */
  readonly concurrency: number;
  /** Timeout of calls that give none, in ms. */
  readonly timeout: number;

  private readonly pending = new Map<number, PendingCall>();
  private seq = 0;
  private queue: (ServiceRequest | undefined)[] = [];
  private queueHead = 0;
  private active = 0;
  private pumping = false;
  private opened = false;
  private closed = false;
  private readonly inner = new Subscription();
  /** Subscriptions to the Observables of requests being handled, by id: cancelled when their caller gives up. */
  private readonly running = new Map<number, Subscription>();
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
    this.requests.subscribe((request) => {
      this.queue.push(request);
      this.pump();
    });
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
   * at once), unless the call is cancelled first. A `timeout` of `Infinity` sets no deadline (RxJS `timeout`
   * callers use it).
   */
  submit(
    method: string,
    args: readonly unknown[],
    timeout: number,
    resolve: (value: unknown) => void,
    reject: (error: Error) => void,
  ): number {
    if (this.closed) {
      reject(new ServiceStoppedError(this.name, method));
      return 0;
    }
    const id = ++this.seq;
    const watched = timeout <= MAX_TIMER_MS;
    const deadline = watched ? this.scheduler.now() + timeout : Infinity;
    const call = new PendingCall(id, method, timeout, resolve, reject, deadline, performance.now());
    this.pending.set(id, call);
    this.calls++;
    if (watched) this.watch(call);
    this.requests.next({ id, method, args });
    return id;
  }

  /**
   * Gives up waiting for call `id` (its caller unsubscribed or timed out): a queued request is not run, a
   * running Observable is unsubscribed (freeing its slot), and a later reply is dropped.
   */
  cancel(id: number): void {
    const call = this.pending.get(id);
    if (call === undefined) return;
    this.pending.delete(id);
    call.settled = true;
    this.abandon(id);
  }

  /** Counts a timeout detected by the caller (RxJS `timeout`, which has already cancelled the call). */
  countTimeout(): void {
    this.timeouts++;
  }

  /** Ends the channel: every waiting call fails with ServiceStoppedError, later calls too. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sweep?.unsubscribe();
    this.sweep = undefined;
    this.inner.unsubscribe();
    this.running.clear();
    this.queue = [];
    this.queueHead = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const call of waiting) {
      call.settled = true;
      call.reject(new ServiceStoppedError(this.name, call.method));
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
    const pending = this.pending;
    while (this.active < this.concurrency && this.queueHead < this.queue.length) {
      const request = this.queue[this.queueHead] as ServiceRequest;
      this.queue[this.queueHead++] = undefined;
      if (!pending.has(request.id)) continue;
      this.active++;
      this.invoke(request);
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

  private invoke(request: ServiceRequest): void {
    const id = request.id;
    const fn = (this.target as Record<string, unknown>)[request.method];
    if (typeof fn !== 'function') {
      this.fail(
        id,
        request.method,
        new TypeError(`Service ${this.name} has no method '${request.method}': call one of its methods`),
      );
      return;
    }
    let result: unknown;
    try {
      result = (fn as (...args: unknown[]) => unknown).apply(this.target, request.args as unknown[]);
    } catch (e) {
      this.fail(id, request.method, e);
      return;
    }
    if (result !== null && typeof result === 'object') {
      if (isObservable(result)) {
        this.first(id, request.method, result);
        return;
      }
      if (isPromiseLike(result)) {
        result.then(
          (value) => {
            this.reply(id, value);
          },
          (error: unknown) => {
            this.fail(id, request.method, error);
          },
        );
        return;
      }
    }
    this.reply(id, result);
  }

  /** Replies with the first value of `source` (or `undefined` if it completes empty), then unsubscribes. */
  private first(id: number, method: string, source: Observable<unknown>): void {
    let done = false;
    const holder = new Subscription();
    this.inner.add(holder);
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      this.running.delete(id);
      this.inner.remove(holder);
      holder.unsubscribe();
      return true;
    };
    holder.add(
      source.subscribe({
        next: (value) => {
          if (finish()) this.reply(id, value);
        },
        error: (error: unknown) => {
          if (finish()) this.fail(id, method, error);
        },
        complete: () => {
          if (finish()) this.reply(id, undefined);
        },
      }),
    );
    if (!holder.closed) this.running.set(id, holder);
  }

  /** Unsubscribes the running Observable of request `id`, if any, and frees its slot. */
  private abandon(id: number): void {
    const running = this.running.get(id);
    if (running === undefined) return;
    this.running.delete(id);
    this.inner.remove(running);
    running.unsubscribe();
    this.active--;
    this.pump();
  }

  private reply(id: number, value: unknown): void {
    this.active--;
    this.replies++;
    const call = this.take(id);
    if (call !== undefined) call.resolve(value);
    this.pump();
  }

  private fail(id: number, method: string, error: unknown): void {
    this.active--;
    this.errors++;
    const call = this.take(id);
    if (call !== undefined) call.reject(new ServiceCallError(this.name, method, error));
    else this.logger.warn(`service ${this.name}.${method} failed after its caller gave up:`, error);
    this.pump();
  }

  /** Removes and returns the waiting call `id`; counts a late reply when there is none. */
  private take(id: number): PendingCall | undefined {
    const call = this.pending.get(id);
    if (call === undefined) {
      if (!this.closed) this.late++;
      return undefined;
    }
    this.pending.delete(id);
    call.settled = true;
    this.latency.record(performance.now() - call.started);
    return call;
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
        call.reject(new ServiceTimeoutError(this.name, call.method, call.timeout));
        this.abandon(call.id);
        call = queue.head();
      }
      if (call !== undefined && call.deadline < next) next = call.deadline;
    }
    if (next !== Infinity) this.scheduleSweep(next);
  }
}
