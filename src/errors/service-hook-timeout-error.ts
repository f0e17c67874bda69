import { SageError } from './sage-error.js';

/**
 * A lifecycle hook of a service (`setup()`, `start()`, `stop()` or `cleanup()`) did not settle within the hook
 * timeout. The runtime logs it and goes on (a `setup()` that times out counts as failed: the service refuses
 * calls with a ServiceSetupError whose `cause` is this error).
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
