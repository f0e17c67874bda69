import type { Logger } from 'loglevel';
import { isObservable, Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import { describeValue } from '../../../errors/describe-value.js';
import { ServiceCallError } from '../../../errors/service-call-error.js';
import { ServiceStoppedError } from '../../../errors/service-stopped-error.js';
import { ServiceTimeoutError } from '../../../errors/service-timeout-error.js';
import { toError } from '../../../errors/to-error.js';
import { isPromiseLike } from '../is-promise-like.js';
import type { BatchOptions } from './batch-options.js';
import { DeadlineQueue } from './deadline-queue.js';
import { BucketCounts } from '../metrics/bucket-counts.js';
import { LatencyHistogram } from './latency-histogram.js';
import { PendingCall } from './pending-call.js';
import {
  backoffDelay,
  resolveRetryOptions,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry-options.js';
import { ServiceBatch } from './service-batch.js';
import type { ResolvedServiceOptions } from './service-options.js';
import type { ServiceRequest } from './service-request.js';
import type { ServiceStats } from './service-stats.js';
import { TokenBucket } from './token-bucket.js';

/** Longest delay a timer can take (setInterval's limit); longer timeouts never fire. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls whose latency is always recorded; after them, one call in `LATENCY_SAMPLE` (clock reads cost). */
const LATENCY_ALWAYS = 1024;
const LATENCY_SAMPLE = 8;
/** Upper bounds of the batch-size buckets. */
const BATCH_SIZE_BOUNDS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * The request/response channel of one service instance in a job. Calls become requests `{ id, method, args }`
 * (observable on the `requests` Subject), with a correlation id from a per-channel counter; the caller waits in
 * a `Map<id, PendingCall>`. A worker takes requests first in, first out, runs at most `concurrency` at once,
 * calls the method and turns its value, Promise or Observable (first value) into a reply, which is delivered to
 * the call with the same id only. Every timing runs on the job's scheduler: deadlines are watched by one
 * scheduler action per channel (not one timer per call), and backoffs, batch windows and token refills are
 * scheduler actions too, so a whole schedule can be checked in virtual time.
 *
 * Options for AI workloads: with `retry`, a failed attempt that `retryOn` accepts is tried again after a
 * backoff, within the call's timeout; with `batch`, `process` calls are gathered into `processBatch` calls
 * (one slot per batch); with `rateLimit`, each invocation first takes tokens from a bucket, and the queue waits
 * while it is empty (counted as `throttledMs`).
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

  private readonly retry: ResolvedRetryOptions | undefined;
  private readonly batch: BatchOptions | undefined;
  private readonly bucket: TokenBucket | undefined;
  private readonly cost: ((...args: unknown[]) => number) | undefined;
  /** A call's timeout starts with its first attempt (rate-limited services without `timeoutIncludesQueue`). */
  private readonly deferDeadline: boolean;

  private readonly pending = new Map<number, PendingCall>();
  private seq = 0;
  private queue: (PendingCall | ServiceBatch | undefined)[] = [];
  private queueHead = 0;
  private active = 0;
  private pumping = false;
  private opened = false;
  private closed = false;
  /** The error calls get once the channel is closed (ServiceStoppedError unless `close` was given another). */
  private refusal: (method: string) => Error = (method) => new ServiceStoppedError(this.name, method);
  /** The call or batch whose method is being invoked right now (synchronously), for `currentSignal()`. */
  private current: PendingCall | ServiceBatch | undefined;
  private readonly deadlines = new Map<number, DeadlineQueue>();
  private lastTimeout = NaN;
  private lastQueue: DeadlineQueue | undefined;
  private sweep: Subscription | undefined;
  private sweepAt = Infinity;
  /**
   * `process` calls gathering into the next batch and the scheduler time its first call came. The window timer
   * is not cancelled when a batch fills early: it stays armed for a later batch (one timer per window of time,
   * not per batch) and, when it fires, flushes the batch then gathering if its window has passed, else waits
   * for the rest of it.
   */
  private gathering: PendingCall[] = [];
  private gatherStart = 0;
  private window: Subscription | undefined;
  /** The timer that wakes the queue when the bucket has refilled, and since when the queue waits. */
  private wake: Subscription | undefined;
  private throttledSince = 0;

  private calls = 0;
  private replies = 0;
  private errors = 0;
  private timeouts = 0;
  private late = 0;
  private attempts = 0;
  private retries = 0;
  private batches = 0;
  private batched = 0;
  private throttled = 0;
  private readonly latency = new LatencyHistogram();
  private readonly batchSizes = new BucketCounts(BATCH_SIZE_BOUNDS);

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
    this.retry = options.retry;
    this.batch = options.batch;
    const rateLimit = options.rateLimit;
    this.bucket =
      rateLimit === undefined
        ? undefined
        : new TokenBucket(rateLimit.perSecond, rateLimit.burst, scheduler.now());
    this.cost = rateLimit?.cost;
    this.deferDeadline = rateLimit !== undefined && options.timeoutIncludesQueue !== true;
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
   * after `timeout` ms of the scheduler, or a ServiceStoppedError. `retry` overrides fields of the service's
   * retry options for this call.
   */
  call(method: string, args: readonly unknown[], timeout: number, retry?: RetryOptions): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      this.submit(method, args, timeout, resolve, reject, retry);
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
    retry?: RetryOptions,
  ): number {
    if (this.closed) {
      reject(this.refusal(method));
      return 0;
    }
    let policy = this.retry;
    if (retry !== undefined) {
      try {
        policy = resolveRetryOptions(this.name, { ...this.retry, ...retry });
      } catch (e) {
        reject(toError(e));
        return 0;
      }
    }
    const id = ++this.seq;
    const started = id <= LATENCY_ALWAYS || id % LATENCY_SAMPLE === 0 ? performance.now() : -1;
    const call = new PendingCall(id, method, args, timeout, resolve, reject, Infinity, started);
    call.retry = policy;
    this.pending.set(id, call);
    this.calls++;
    if (timeout <= MAX_TIMER_MS && !this.deferDeadline) {
      call.deadline = this.scheduler.now() + timeout;
      this.watch(call);
    }
    if (this.requests.observed) this.requests.next({ id, method, args });
    this.enqueue(call);
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
    this.giveUp(call, undefined);
  }

  /**
   * The AbortSignal of the call (or batch) whose method is being invoked right now, or undefined outside a
   * method call. A service reads it (as `ctx.signal`) synchronously when its method starts; it is aborted when
   * that call's caller gives up, its attempt times out, or the job ends.
   */
  currentSignal(): AbortSignal | undefined {
    const running = this.current;
    if (running === undefined) return undefined;
    return (running.controller ??= new AbortController()).signal;
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
    this.window?.unsubscribe();
    this.window = undefined;
    this.stopThrottling();
    this.gathering = [];
    this.queue = [];
    this.queueHead = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const call of waiting) {
      call.settled = true;
      const error = this.refusal(call.method);
      this.giveUp(call, error);
      call.reject(error);
    }
    this.requests.complete();
  }

  /** The channel's counters. */
  stats(): ServiceStats {
    const throttledNow = this.wake === undefined ? 0 : this.scheduler.now() - this.throttledSince;
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
      attempts: this.attempts,
      retries: this.retries,
      batches: this.batches,
      meanBatchSize: this.batches === 0 ? 0 : this.batched / this.batches,
      latencyBuckets: this.latency.buckets(),
      batchSizes: this.batchSizes.snapshot(),
      throttledMs: this.throttled + throttledNow,
    };
  }

  /** Puts a call (new, or retried after its backoff) in line: into the gathering batch, or the queue. */
  private enqueue(call: PendingCall): void {
    const batch = this.batch;
    if (batch === undefined || call.method !== 'process') {
      this.offer(call);
      return;
    }
    const gathering = this.gathering;
    gathering.push(call);
    if (gathering.length >= batch.maxSize) this.flush();
    else if (gathering.length === 1) {
      this.gatherStart = this.scheduler.now();
      if (this.window === undefined) this.armWindow(batch.maxWaitMs);
    }
  }

  /** Arms the window timer `delay` ms from now. */
  private armWindow(delay: number): void {
    this.window = this.scheduler.schedule(() => {
      this.window = undefined;
      if (this.closed || this.gathering.length === 0) return;
      const rest = this.gatherStart + (this.batch as BatchOptions).maxWaitMs - this.scheduler.now();
      if (rest > 0) this.armWindow(rest);
      else this.flush();
    }, delay);
  }

  /** Closes the gathering batch (full, or its window passed) and queues it. */
  private flush(): void {
    let calls = this.gathering;
    this.gathering = [];
    for (const c of calls) {
      if (c.settled) {
        calls = calls.filter((d) => !d.settled);
        break;
      }
    }
    if (calls.length === 0) return;
    this.offer(new ServiceBatch(calls));
  }

  /**
   * Puts a call or batch in line. When nothing waits before it, a slot is free and the bucket (if any) holds
   * its tokens, it starts at once, without passing through the queue (the common case of a service within its
   * limits: no queue traffic, one clock read, no timer); when only the tokens are missing, it waits in the
   * queue for the refill.
   */
  private offer(unit: PendingCall | ServiceBatch): void {
    if (
      this.queueHead === this.queue.length &&
      !this.pumping &&
      this.opened &&
      !this.closed &&
      this.active < this.concurrency
    ) {
      const bucket = this.bucket;
      let now = NaN;
      let wait = 0;
      if (bucket !== undefined) {
        now = this.scheduler.now();
        wait = bucket.take(this.costOf(unit), now);
      }
      if (wait === 0) {
        this.pumping = true;
        this.start(unit, now);
        this.pumping = false;
        if (this.queueHead !== this.queue.length) this.pump();
        return;
      }
      this.queue.push(unit);
      this.throttle(wait);
      return;
    }
    this.queue.push(unit);
    this.pump();
  }

  /** Starts a call or batch that got its slot (and tokens); `now` is the scheduler's time if already read. */
  private start(unit: PendingCall | ServiceBatch, now: number): void {
    this.active++;
    if (unit instanceof ServiceBatch) this.startBatch(unit, now);
    else {
      this.beginAttempt(unit, now);
      this.invoke(unit);
    }
  }

  private pump(): void {
    if (this.pumping || !this.opened || this.closed) return;
    this.pumping = true;
    const bucket = this.bucket;
    while (this.active < this.concurrency && this.queueHead < this.queue.length) {
      const unit = this.queue[this.queueHead] as PendingCall | ServiceBatch;
      if (unit instanceof ServiceBatch) {
        if (unit.calls.some((c) => c.settled)) unit.calls = unit.calls.filter((c) => !c.settled);
        if (unit.calls.length === 0) {
          this.queue[this.queueHead++] = undefined;
          continue;
        }
      } else if (unit.settled) {
        this.queue[this.queueHead++] = undefined;
        continue;
      }
      let now = NaN;
      if (bucket !== undefined) {
        now = this.scheduler.now();
        const wait = bucket.take(this.costOf(unit), now);
        if (wait > 0) {
          this.throttle(wait);
          break;
        }
      }
      this.queue[this.queueHead++] = undefined;
      this.start(unit, now);
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

  /** Tokens an invocation takes: 1, or the sum of `cost(...args)` of its requests. */
  private costOf(unit: PendingCall | ServiceBatch): number {
    const cost = this.cost;
    if (cost === undefined) return 1;
    const calls = unit instanceof ServiceBatch ? unit.calls : [unit];
    let total = 0;
    for (const call of calls) {
      let one: unknown;
      try {
        one = cost(...call.args);
      } catch (e) {
        this.logger.warn(`service ${this.name}: rateLimit.cost threw, counting 1:`, e);
        one = 1;
      }
      total += typeof one === 'number' && one >= 0 ? one : 1;
    }
    return total;
  }

  /** The queue waits for tokens: wakes it `wait` ms later, counting the time as throttled. */
  private throttle(wait: number): void {
    if (this.wake !== undefined) return;
    this.throttledSince = this.scheduler.now();
    this.wake = this.scheduler.schedule(() => {
      this.stopThrottling();
      this.pump();
    }, wait);
  }

  private stopThrottling(): void {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    this.throttled += this.scheduler.now() - this.throttledSince;
    wake.unsubscribe();
  }

  /**
   * Counts an attempt of `call`, starts its clock when it waited for its first one, and arms its attempt timer.
   * `now` is the scheduler's time when the caller already read it (NaN otherwise).
   */
  private beginAttempt(call: PendingCall, now: number): void {
    const attempt = ++call.attempts;
    this.attempts++;
    if (attempt > 1) this.retries++;
    else if (this.deferDeadline && call.timeout <= MAX_TIMER_MS) {
      call.deadline = (Number.isNaN(now) ? this.scheduler.now() : now) + call.timeout;
      this.watch(call);
    }
    call.running = true;
    const perAttempt = call.retry?.perAttemptTimeoutMs;
    if (perAttempt !== undefined && perAttempt <= MAX_TIMER_MS) {
      call.attemptTimer = this.scheduler.schedule(() => {
        call.attemptTimer = undefined;
        if (!call.running || call.attempts !== attempt) return;
        const error = new ServiceTimeoutError(this.name, call.method, perAttempt);
        this.abandonAttempt(call, error);
        this.attemptFailed(call, error);
      }, perAttempt);
    }
  }

  private invoke(call: PendingCall): void {
    const fn = (this.target as Record<string, unknown>)[call.method];
    const attempt = call.attempts;
    if (typeof fn !== 'function') {
      this.fail(
        call,
        attempt,
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
      this.fail(call, attempt, e);
      return;
    }
    this.current = previous;
    if (result !== null && typeof result === 'object') {
      if (isObservable(result)) {
        this.first(
          call,
          result,
          (value) => {
            this.reply(call, attempt, value);
          },
          (error) => {
            this.fail(call, attempt, error);
          },
        );
        return;
      }
      if (isPromiseLike(result)) {
        result.then(
          (value) => {
            this.reply(call, attempt, value);
          },
          (error: unknown) => {
            this.fail(call, attempt, error);
          },
        );
        return;
      }
    }
    this.reply(call, attempt, result);
  }

  private startBatch(batch: ServiceBatch, now: number): void {
    const calls = batch.calls;
    batch.running = true;
    batch.live = calls.length;
    this.batches++;
    this.batched += calls.length;
    this.batchSizes.record(calls.length);
    const requests: unknown[] = [];
    const at = Number.isNaN(now) && this.deferDeadline ? this.scheduler.now() : now;
    for (const call of calls) {
      this.beginAttempt(call, at);
      call.batch = batch;
      requests.push(call.args[0]);
    }
    const fn = (this.target as { processBatch?: unknown }).processBatch;
    if (typeof fn !== 'function') {
      this.failBatch(
        batch,
        new TypeError(
          `Service ${this.name} has no method 'processBatch': implement it to use the batch option`,
        ),
      );
      return;
    }
    let result: unknown;
    const previous = this.current;
    this.current = batch;
    try {
      result = (fn as (requests: unknown[]) => unknown).call(this.target, requests);
    } catch (e) {
      this.current = previous;
      this.failBatch(batch, e);
      return;
    }
    this.current = previous;
    if (result !== null && typeof result === 'object') {
      if (isObservable(result)) {
        this.first(
          batch,
          result,
          (value) => {
            this.replyBatch(batch, value);
          },
          (error) => {
            this.failBatch(batch, error);
          },
        );
        return;
      }
      if (isPromiseLike(result)) {
        result.then(
          (value) => {
            this.replyBatch(batch, value);
          },
          (error: unknown) => {
            this.failBatch(batch, error);
          },
        );
        return;
      }
    }
    this.replyBatch(batch, result);
  }

  /** Calls `next` with the first value of `source` (or `undefined` if it completes empty), then unsubscribes. */
  private first(
    owner: PendingCall | ServiceBatch,
    source: Observable<unknown>,
    next: (value: unknown) => void,
    error: (error: unknown) => void,
  ): void {
    let done = false;
    const holder = new Subscription();
    owner.subscription = holder;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      if (owner.subscription === holder) owner.subscription = undefined;
      holder.unsubscribe();
      return true;
    };
    holder.add(
      source.subscribe({
        next: (value) => {
          if (finish()) next(value);
        },
        error: (e: unknown) => {
          if (finish()) error(e);
        },
        complete: () => {
          if (finish()) next(undefined);
        },
      }),
    );
  }

  /** The caller of `call` gave up (timeout, cancel, end of job): stops its backoff and its running attempt. */
  private giveUp(call: PendingCall, reason: Error | undefined): void {
    const backoff = call.backoff;
    if (backoff !== undefined) {
      call.backoff = undefined;
      backoff.unsubscribe();
    }
    this.abandonAttempt(call, reason);
  }

  /**
   * Ends the running attempt of a call nobody waits for any more (its caller gave up, or the attempt timed
   * out): frees its slot (or leaves its batch), unsubscribes its Observable, aborts its signal with `reason`.
   */
  private abandonAttempt(call: PendingCall, reason: Error | undefined): void {
    if (!call.running) return;
    this.endAttempt(call);
    const batch = call.batch;
    if (batch !== undefined) {
      call.batch = undefined;
      if (--batch.live === 0) this.releaseBatch(batch, reason);
      return;
    }
    this.active--;
    const subscription = call.subscription;
    if (subscription !== undefined) {
      call.subscription = undefined;
      subscription.unsubscribe();
    }
    call.controller?.abort(reason);
    call.controller = undefined;
    this.pump();
  }

  /** Frees the slot of a batch none of whose callers waits any more. */
  private releaseBatch(batch: ServiceBatch, reason: Error | undefined): void {
    if (!batch.running) return;
    batch.running = false;
    this.active--;
    const subscription = batch.subscription;
    if (subscription !== undefined) {
      batch.subscription = undefined;
      subscription.unsubscribe();
    }
    batch.controller?.abort(reason);
    this.pump();
  }

  /** Marks the running attempt of `call` as ended and disarms its attempt timer (the slot is the caller's). */
  private endAttempt(call: PendingCall): void {
    call.running = false;
    const timer = call.attemptTimer;
    if (timer !== undefined) {
      call.attemptTimer = undefined;
      timer.unsubscribe();
    }
  }

  private reply(call: PendingCall, attempt: number, value: unknown): void {
    if (!call.running || call.attempts !== attempt) {
      if (!this.closed) this.late++;
      return;
    }
    this.endAttempt(call);
    this.active--;
    call.controller = undefined;
    this.succeed(call, value);
    this.pump();
  }

  private fail(call: PendingCall, attempt: number, error: unknown): void {
    if (!call.running || call.attempts !== attempt) {
      if (!this.closed) this.late++;
      this.logger.warn(`service ${this.name}.${call.method} failed after its attempt was abandoned:`, error);
      return;
    }
    this.endAttempt(call);
    this.active--;
    call.controller = undefined;
    this.attemptFailed(call, error);
    this.pump();
  }

  private replyBatch(batch: ServiceBatch, replies: unknown): void {
    if (!batch.running) {
      if (!this.closed) this.late++;
      return;
    }
    this.endBatch(batch);
    const calls = batch.calls;
    if (!Array.isArray(replies) || replies.length !== calls.length) {
      const got = Array.isArray(replies) ? `${String(replies.length)} replies` : describeValue(replies);
      const error = new ServiceCallError(
        this.name,
        'processBatch',
        new TypeError(
          `processBatch answered ${got} for ${String(calls.length)} requests: return an array with one reply ` +
            `(or Error) per request, in order`,
        ),
      );
      for (const call of calls) {
        if (call.batch !== batch) continue;
        this.leaveBatch(call);
        this.settleError(call, error);
      }
    } else {
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i] as PendingCall;
        if (call.batch !== batch) continue;
        this.leaveBatch(call);
        const value: unknown = replies[i];
        if (value instanceof Error) this.attemptFailed(call, value);
        else this.succeed(call, value);
      }
    }
    this.pump();
  }

  private failBatch(batch: ServiceBatch, error: unknown): void {
    if (!batch.running) {
      if (!this.closed) this.late++;
      this.logger.warn(`service ${this.name}.processBatch failed after its callers gave up:`, error);
      return;
    }
    this.endBatch(batch);
    for (const call of batch.calls) {
      if (call.batch !== batch) continue;
      this.leaveBatch(call);
      this.attemptFailed(call, error);
    }
    this.pump();
  }

  /** A batch answered: frees its slot. */
  private endBatch(batch: ServiceBatch): void {
    batch.running = false;
    batch.controller = undefined;
    this.active--;
  }

  private leaveBatch(call: PendingCall): void {
    this.endAttempt(call);
    call.batch = undefined;
  }

  /**
   * An attempt of `call` failed with `error`: retries it after its backoff when its retry policy accepts the
   * error and the next attempt can start before the call's deadline; otherwise the call fails with it.
   */
  private attemptFailed(call: PendingCall, error: unknown): void {
    const retry = call.retry;
    if (retry !== undefined && call.attempts < retry.attempts && this.accepts(retry, error, call.attempts)) {
      const delay = backoffDelay(retry, call.attempts);
      if (this.scheduler.now() + delay < call.deadline) {
        call.backoff = this.scheduler.schedule(() => {
          call.backoff = undefined;
          if (!call.settled && !this.closed) this.enqueue(call);
        }, delay);
        return;
      }
    }
    this.settleError(
      call,
      error instanceof ServiceTimeoutError ? error : new ServiceCallError(this.name, call.method, error),
    );
  }

  private accepts(retry: ResolvedRetryOptions, error: unknown, attempt: number): boolean {
    try {
      return retry.retryOn(error, attempt);
    } catch (e) {
      this.logger.warn(`service ${this.name}: retry.retryOn threw, not retrying:`, e);
      return false;
    }
  }

  private succeed(call: PendingCall, value: unknown): void {
    this.pending.delete(call.id);
    call.settled = true;
    this.replies++;
    if (call.started >= 0) this.latency.record(performance.now() - call.started);
    call.resolve(value);
  }

  private settleError(call: PendingCall, error: Error): void {
    this.pending.delete(call.id);
    call.settled = true;
    if (error instanceof ServiceTimeoutError) this.timeouts++;
    else this.errors++;
    if (call.started >= 0) this.latency.record(performance.now() - call.started);
    call.reject(error);
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
        this.giveUp(call, error);
        call = queue.head();
      }
      if (call !== undefined && call.deadline < next) next = call.deadline;
    }
    if (next !== Infinity) this.scheduleSweep(next);
  }
}
