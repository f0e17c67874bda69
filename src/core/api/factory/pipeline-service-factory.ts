import { Observable, type Subject } from 'rxjs';
import { describeValue } from '../../../errors/describe-value.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';
import type { JobInfo } from '../../../kernel/jobmanager/job-info.js';
import type { ServiceContext } from '../../../kernel/runtime/service/service-context.js';
import type { ServiceDefinition } from '../../../kernel/runtime/service/service-definition.js';
import type { ServiceLookup } from '../../../kernel/runtime/service/service-lookup.js';
import {
  resolveServiceOptions,
  type ServiceOptions,
} from '../../../kernel/runtime/service/service-options.js';
import type { Transformation } from '../../transformation/transformation.js';
import type { BaseEnvironment } from '../base-environment.js';
import type { DataStream } from '../data-stream.js';
import type { PipelineReply, PipelineRequest } from '../service/pipeline-envelope.js';
import { PipelineService } from '../service/pipeline-service.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/**
 * Builds the pipeline behind a pipeline service: receives the request stream (`{ id, payload }` records) and
 * returns the reply stream (`{ id, payload }` records with the ids of the requests they answer).
 *
 * @example
 * ```ts
 * const build: PipelineServiceBuilder<string, number> = (requests) =>
 *   requests.map(({ id, payload }) => ({ id, payload: payload.length }));
 * ```
 */
export type PipelineServiceBuilder<Req, Res> = (
  requests: DataStream<PipelineRequest<Req>>,
) => DataStream<PipelineReply<Res>>;

/**
 * Describes a pipeline registered as a service. The builder runs once, at registration, on the environment
 * (operator names stay unique), and the transformations it adds are set aside as the service's own pipeline.
 * Each submitted job gets a `PipelineService` that runs that pipeline as a job of its own: requests enter at
 * its source, replies leave at its sink, matched by correlation id. Its functions can call the services of
 * the job that called it.
 *
 * @example
 * ```ts
 * env.registerPipelineService<string, string>('upper', (requests) =>
 *   requests.map(({ id, payload }) => ({ id, payload: payload.toUpperCase() })));
 * ```
 */
export class PipelineServiceFactory<Req = unknown, Res = unknown> implements ServiceDefinition {
  /** The service's options as given. */
  readonly options: ServiceOptions;
  /** The logical plan of the service's pipeline (source and reply sink included). */
  readonly pipeline: readonly Transformation[];
  private readonly routes = new Map<number, PipelineService<Req, Res>>();
  private seq = 0;
  private current: Subject<PipelineRequest<Req>> | undefined;

  constructor(
    /** Name the service is called by. */
    readonly name: string,
    private readonly env: BaseEnvironment,
    build: PipelineServiceBuilder<Req, Res>,
    options: ServiceOptions = {},
  ) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`A service name must be a non-empty string, got ${describeValue(name)}`);
    }
    if (typeof build !== 'function') {
      throw new InvalidArgumentError(
        `Pipeline service ${name}: expected a function (requests) => replies, got ${describeValue(build)}`,
      );
    }
    resolveServiceOptions(name, options);
    if (options.batch !== undefined) {
      throw new ServiceOptionsError(
        name,
        'batch',
        'is not available for a pipeline service (it has no processBatch): batch inside the pipeline instead',
      );
    }
    this.options = { ...options };
    const requests$ = new Observable<PipelineRequest<Req>>((subscriber) => {
      const subject = this.current;
      if (subject === undefined) {
        subscriber.error(
          new Error(`Pipeline service ${name}: its pipeline runs only as part of a submitted job`),
        );
        return undefined;
      }
      return subject.subscribe(subscriber);
    });
    const start = env.pipeline.length;
    try {
      const replies: unknown = build(env.fromObservable(requests$));
      if (
        replies === null ||
        typeof replies !== 'object' ||
        typeof (replies as { sink?: unknown }).sink !== 'function'
      ) {
        throw new InvalidArgumentError(
          `Pipeline service ${name}: the builder must return the reply stream (a DataStream), got ${describeValue(replies)}`,
        );
      }
      (replies as DataStream<PipelineReply<Res>>).sink((reply) => {
        this.deliver(reply);
      });
    } catch (e) {
      env.pipeline.splice(start);
      throw e;
    }
    this.pipeline = env.pipeline.splice(start);
  }

  /** Builds the service object of one job. */
  create(ctx: ServiceContext): PipelineService<Req, Res> {
    const service = new PipelineService<Req, Res>(this);
    service.ctx = ctx;
    return service;
  }

  /** Submits the service's pipeline as a job whose source is `requests`; its functions may call `parent`'s services. */
  launch(requests: Subject<PipelineRequest<Req>>, parent: ServiceLookup): JobInfo {
    this.current = requests;
    try {
      return this.env.jobManager.startJob({
        name: `${this.env.name}/${this.name}`,
        config: this.env.config,
        pipeline: this.pipeline,
        parentServices: parent,
      });
    } finally {
      this.current = undefined;
    }
  }

  /** A new correlation id whose reply goes to `service`. */
  route(service: PipelineService<Req, Res>): number {
    const id = ++this.seq;
    this.routes.set(id, service);
    return id;
  }

  /** Number of correlation ids whose replies are still routed (requests sent and not yet answered or given up). */
  get routeCount(): number {
    return this.routes.size;
  }

  /** Forgets correlation id `id`. */
  unroute(id: number): void {
    this.routes.delete(id);
  }

  /** Stops the job running a service's pipeline. */
  stopJob(uuid: string): void {
    this.env.jobManager.stopJob(uuid);
  }

  private deliver(reply: PipelineReply<Res>): void {
    const id: unknown = (reply as Partial<PipelineReply<Res>> | null)?.id;
    const service = typeof id === 'number' ? this.routes.get(id) : undefined;
    if (service === undefined) return;
    this.routes.delete(id as number);
    service.receive(reply);
  }
}
