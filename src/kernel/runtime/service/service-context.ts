import type { Logger } from 'loglevel';
import type { Observable, SchedulerLike } from 'rxjs';
import type { ServiceCallTarget } from './service-call-target.js';
import { ServiceCaller } from './service-caller.js';
import type { ServiceLookup } from './service-lookup.js';

/** What the registry knows about one service when it builds its context. */
export interface ServiceContextInit {
  readonly name: string;
  readonly envName: string;
  readonly jobId: string;
  readonly logger: Logger;
  readonly scheduler: SchedulerLike;
  readonly services: ServiceLookup;
}

/**
 * The context injected into a service object (`this.ctx` of a `BaseService`) before its `setup()`: who it is,
 * its logger and scheduler, and calls to the job's other services.
 *
 * @example
 * ```ts
 * class Answer extends BaseService {
 *   async process(q: string) { const docs = await this.ctx.callService('retriever', q); return `${q}: ${String(docs)}`; }
 * }
 * ```
 */
export class ServiceContext {
  /** Name the service is registered under. */
  readonly name: string;
  /** Name of the environment (and job) the service belongs to. */
  readonly envName: string;
  /** Uuid of the running job. */
  readonly jobId: string;
  /** The service's logger (loglevel), at the environment's level. */
  readonly logger: Logger;
  /** The scheduler the job runs on (virtual under `TestScheduler.run`). */
  readonly scheduler: SchedulerLike;
  /** The job's services, by name. */
  readonly services: ServiceLookup;
  private readonly caller: ServiceCaller;

  constructor(init: ServiceContextInit) {
    this.name = init.name;
    this.envName = init.envName;
    this.jobId = init.jobId;
    this.logger = init.logger;
    this.scheduler = init.scheduler;
    this.services = init.services;
    this.caller = new ServiceCaller(init.services);
  }

  /**
   * Calls another service of the job (method `process` unless named; default timeout 10 s) and resolves with
   * its reply.
   *
   * @example
   * ```ts
   * const six = await this.ctx.callService('calc', 2);
   * ```
   */
  callService<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.caller.call(target, args) as Promise<R>;
  }

  /**
   * The same as `callService`: returns a Promise of the reply.
   *
   * @example
   * ```ts
   * const pending = this.ctx.callServiceAsync({ service: 'calc', method: 'add' }, 2, 100);
   * ```
   */
  callServiceAsync<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.caller.call(target, args) as Promise<R>;
  }

  /**
   * Calls a service as a cold, cancellable Observable that emits the reply once (unsubscribing cancels the wait).
   *
   * @example
   * ```ts
   * this.ctx.callService$('calc', 2).subscribe((six) => this.logger.info(six));
   * ```
   */
  callService$<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Observable<R> {
    return this.caller.call$(target, args) as Observable<R>;
  }
}
