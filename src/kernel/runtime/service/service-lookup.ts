import type { ServiceChannel } from './service-channel.js';

/**
 * Where callers find service channels by name: a job's ServiceRegistry.
 *
 * @example
 * ```ts
 * const channel = registry.channel('calc'); // undefined when the job has no such service
 * ```
 */
export interface ServiceLookup {
  /** The channel of service `name` (undefined when unknown). */
  channel(name: string): ServiceChannel | undefined;
  /** Names of the services that can be called. */
  names(): string[];
}
