import { SageError } from './sage-error.js';

/**
 * A lifecycle hook of a service (`setup()`, `start()`, `stop()` or `cleanup()`) did not settle within the hook
 * timeout. The runtime logs it and goes on: the next hook runs (after a `setup()` or `start()`, the service
 * starts serving calls), and a late settlement of the hook is ignored (a late rejection is still logged).
 *
 * @example
 * ```ts
 * new LocalEnvironment('etl', { serviceHookTimeoutMs: 2_000 }); // or ServiceFactory options { hookTimeoutMs }
 * ```
 */
export class ServiceHookTimeoutError extends SageError {
  constructor(
    readonly service: string,
    readonly hook: string,
    readonly timeout: number,
  ) {
    super(
      `Service ${service}: ${hook}() did not settle within ${timeout} ms; going on without it. Make ${hook}() ` +
        `settle, or raise the hook timeout (service option hookTimeoutMs, job config serviceHookTimeoutMs)`,
    );
  }
}
