import { describeValue } from '../../../errors/describe-value.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';
import type { ServiceContext } from '../../../kernel/runtime/service/service-context.js';
import type { ServiceDefinition } from '../../../kernel/runtime/service/service-definition.js';
import {
  resolveServiceOptions,
  type ServiceOptions,
} from '../../../kernel/runtime/service/service-options.js';
import { BaseService } from '../service/base-service.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/**
 * Describes a service: its name, its class, the constructor arguments and its options (`concurrency`, default
 * `timeout`, `retry`, `batch`, `rateLimit`, …, checked here). Nothing is built when it is registered: each submitted job builds its own instance, and a
 * `BaseService` gets its `ctx` before `setup()`.
 *
 * @example
 * ```ts
 * env.registerServiceFactory(new ServiceFactory('calc', Calc, [3], { concurrency: 4, timeout: 500 }));
 * ```
 */
export class ServiceFactory<
  S extends object = object,
  A extends unknown[] = unknown[],
> implements ServiceDefinition {
  /** The service's options as given (defaults are filled in at submit). */
  readonly options: ServiceOptions;

  constructor(
    /** Name the service is called by. */
    readonly name: string,
    /** The service class. */
    readonly serviceClass: new (...args: A) => S,
    /** Arguments passed to the constructor. */
    readonly args: A = [] as unknown[] as A,
    options: ServiceOptions = {},
  ) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`A service name must be a non-empty string, got ${describeValue(name)}`);
    }
    const cls: unknown = serviceClass;
    if (typeof cls !== 'function' || (cls as { prototype?: unknown }).prototype === undefined) {
      throw new InvalidArgumentError(`Service ${name}: expected a class, got ${describeValue(cls)}`);
    }
    if (!Array.isArray(args)) {
      throw new InvalidArgumentError(
        `Service ${name}: constructor arguments must be an array, got ${describeValue(args)}`,
      );
    }
    resolveServiceOptions(name, options);
    const prototype = (cls as { prototype: { processBatch?: unknown } }).prototype;
    if (options.batch !== undefined && typeof prototype.processBatch !== 'function') {
      throw new ServiceOptionsError(
        name,
        'batch',
        `needs a service that implements processBatch(requests) → replies, and ${serviceClass.name || 'this class'} ` +
          `does not: add processBatch or drop the batch option`,
      );
    }
    this.options = { ...options };
  }

  /** Builds one instance for a job and injects its context. */
  create(ctx: ServiceContext): S {
    const service = new this.serviceClass(...this.args);
    if (service instanceof BaseService) service.ctx = ctx;
    return service;
  }
}
