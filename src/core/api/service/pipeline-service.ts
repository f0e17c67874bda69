import { Observable, Subject, throwError } from 'rxjs';
import { ServiceStoppedError } from '../../../errors/service-stopped-error.js';
import type { JobInfo } from '../../../kernel/jobmanager/job-info.js';
import type { PipelineServiceFactory } from '../factory/pipeline-service-factory.js';
import { BaseService } from './base-service.js';
import type { PipelineReply, PipelineRequest } from './pipeline-envelope.js';

/**
 * The service object behind `env.registerPipelineService`, one per job: `start()` submits the service's
 * pipeline as a job of its own, whose source is this service's request Subject; `process(payload)` returns a
 * cold Observable that, when the channel subscribes, sends `{ id, payload }` into it and emits the reply with
 * the same id synchronously when it reaches the pipeline's sink (no Promise in between, so pipeline services
 * answer in virtual time too). When the caller gives up (timeout, cancel), the channel unsubscribes: the
 * waiter and the route of that id are removed, so a request the pipeline dropped (a function that threw under
 * `'skip'`) frees its concurrency slot and later calls are not affected. At the end of the calling job the
 * request stream completes (the pipeline drains and completes), or, when calls are still unanswered, the
 * pipeline's job is stopped.
 *
 * @example
 * ```ts
 * env.registerPipelineService<string, string>('upper', (requests) =>
 *   requests.map(({ id, payload }) => ({ id, payload: payload.toUpperCase() })));
 * // in any function of the job: await this.callService('upper', 'abc') → 'ABC'
 * ```
 */
export class PipelineService<Req, Res> extends BaseService {
  private readonly requests = new Subject<PipelineRequest<Req>>();
  private readonly waiting = new Map<number, { resolve(value: Res): void; reject(error: Error): void }>();
  private job: JobInfo | undefined;
  private ended = false;

  constructor(private readonly factory: PipelineServiceFactory<Req, Res>) {
    super();
  }

  /** Uuid of the job running the service's pipeline (once started). */
  get jobId(): string | undefined {
    return this.job?.uuid;
  }

  /** Submits the service's pipeline, wired to this service's requests. */
  start(): void {
    const job = this.factory.launch(this.requests, this.ctx.services);
    this.job = job;
    void job.whenDone().then(() => {
      this.abandon();
    });
  }

  /**
   * A cold Observable of the reply to one request: subscribing sends `{ id, payload }` into the pipeline;
   * unsubscribing forgets the id (a reply that comes later is dropped).
   */
  process(payload: Req): Observable<Res> {
    if (this.job === undefined || this.ended) {
      return throwError(() => new ServiceStoppedError(this.factory.name, 'process'));
    }
    return new Observable<Res>((subscriber) => {
      const id = this.factory.route(this);
      this.waiting.set(id, {
        resolve: (value) => {
          subscriber.next(value);
          subscriber.complete();
        },
        reject: (error) => {
          subscriber.error(error);
        },
      });
      this.requests.next({ id, payload });
      return () => {
        if (this.waiting.delete(id)) this.factory.unroute(id);
      };
    });
  }

  /** Number of requests whose replies are awaited. */
  get awaiting(): number {
    return this.waiting.size;
  }

  /** Delivers a reply that reached the pipeline's sink (unknown ids are dropped). */
  receive(reply: PipelineReply<Res>): void {
    const waiter = this.waiting.get(reply.id);
    if (waiter === undefined) return;
    this.waiting.delete(reply.id);
    waiter.resolve(reply.payload);
  }

  /**
   * Ends the request stream; the pipeline drains, or is stopped when replies are still awaited. Returns a
   * Promise of the pipeline's end when it has not ended at once.
   */
  stop(): Promise<void> | undefined {
    const job = this.job;
    this.ended = true;
    this.requests.complete();
    if (job === undefined) return undefined;
    if (this.waiting.size > 0 && !job.ended) this.factory.stopJob(job.uuid);
    // Synchronous when the pipeline ended at once (as in virtual time), so no hook timeout is armed for it.
    if (job.ended) return undefined;
    return job.whenDone().then(() => undefined);
  }

  /** Answers every call still waiting with ServiceStoppedError (the pipeline's job has ended). */
  private abandon(): void {
    const waiting = [...this.waiting.entries()];
    this.waiting.clear();
    for (const [id, waiter] of waiting) {
      this.factory.unroute(id);
      waiter.reject(new ServiceStoppedError(this.factory.name, 'process'));
    }
  }
}
