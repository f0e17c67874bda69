import type { ServiceContext } from './service-context.js';
import type { ServiceOptions } from './service-options.js';

/**
 * How the runtime builds one service of a job at submit: its name, its options, and `create(ctx)`, which
 * returns the service object with `ctx` injected. The API's `ServiceFactory` is one.
 *
 * @example
 * ```ts
 * const definition: ServiceDefinition = { name: 'calc', options: { concurrency: 2 }, create: () => new Calc(3) };
 * ```
 */
export interface ServiceDefinition {
  readonly name: string;
  readonly options?: ServiceOptions;
  /** Builds the service object (called once per job, at submit). */
  create(ctx: ServiceContext): object;
}
