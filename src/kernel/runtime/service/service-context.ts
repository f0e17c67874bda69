import type { Logger } from 'loglevel';
import type { SchedulerLike } from 'rxjs';
import { ServiceCalls } from './service-calls.js';
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
  /** The AbortSignal of the call whose method is being invoked right now (see `ServiceContext.signal`). */
  readonly currentSignal?: () => AbortSignal | undefined;
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
export class ServiceContext extends ServiceCalls {
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
  private readonly currentSignal: (() => AbortSignal | undefined) | undefined;

  constructor(init: ServiceContextInit) {
    super(new ServiceCaller(init.services));
    this.name = init.name;
    this.envName = init.envName;
    this.jobId = init.jobId;
    this.logger = init.logger;
    this.scheduler = init.scheduler;
    this.services = init.services;
    this.currentSignal = init.currentSignal;
  }

  /**
   * The AbortSignal of the call being served: read it synchronously when a method (or `processBatch`) starts,
   * before any `await`; it is aborted when that call's caller gives up (timeout, cancel) or the job ends, so the
   * service can stop work nobody waits for. Outside a method call it is undefined.
   *
   * @example
   * ```ts
   * class Search extends BaseService {
   *   process(q: string) { return fetch(`http://localhost:9200/?q=${q}`, { signal: this.ctx.signal }); }
   * }
   * ```
   */
  get signal(): AbortSignal | undefined {
    return this.currentSignal?.();
  }
}
