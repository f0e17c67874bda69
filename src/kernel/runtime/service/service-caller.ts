import { Observable, throwError } from 'rxjs';
import { ServiceNotFoundError } from '../../../errors/service-not-found-error.js';
import { toError } from '../../../errors/to-error.js';
import type { ServiceCallTarget } from './service-call-target.js';
import type { ServiceChannel } from './service-channel.js';
import { checkTimeout } from './service-options.js';
import type { ServiceLookup } from './service-lookup.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/**
 * The calling side of services for one context (an operator instance, a service, or the environment): resolves
 * a service's channel on the first call and keeps it (proxy caching: no lookup per call), then sends the call
 * as a Promise or as a cancellable Observable.
 *
 * @example
 * ```ts
 * const caller = new ServiceCaller(registry);
 * await caller.call('calc', [2]);                               // calc.process(2)
 * caller.call$({ service: 'calc', method: 'add' }, [2, 100]).subscribe(console.log);
 * ```
 */
export class ServiceCaller {
  private readonly channels = new Map<string, ServiceChannel>();

  constructor(private readonly lookup: ServiceLookup | undefined) {}

  /** Calls a service; the Promise settles with the reply or a service error. */
  call(target: ServiceCallTarget, args: readonly unknown[]): Promise<unknown> {
    let name: string;
    let method = 'process';
    let timeout: number | undefined;
    if (typeof target === 'string') {
      name = target;
    } else {
      try {
        name = checkTarget(target);
        if (target.method !== undefined) method = checkMethod(name, target.method);
        if (target.timeout !== undefined) timeout = checkTimeout(name, target.timeout);
      } catch (e) {
        return Promise.reject(toError(e));
      }
    }
    const channel = this.channels.get(name) ?? this.resolve(name);
    if (channel === undefined) return Promise.reject(this.notFound(name));
    return channel.call(
      method,
      args,
      timeout ?? channel.timeout,
      typeof target === 'string' ? undefined : target.retry,
    );
  }

  /**
   * Calls a service as a cold Observable: each subscription sends one request and emits its reply once;
   * unsubscribing cancels the call; the timeout (and any retry backoff) runs on the service's scheduler.
   */
  call$(target: ServiceCallTarget, args: readonly unknown[]): Observable<unknown> {
    let name: string;
    let method = 'process';
    let given: number | undefined;
    try {
      name = checkTarget(target);
      if (typeof target !== 'string') {
        if (target.method !== undefined) method = checkMethod(name, target.method);
        if (target.timeout !== undefined) given = checkTimeout(name, target.timeout);
      }
    } catch (e) {
      return throwError(() => toError(e));
    }
    const channel = this.channels.get(name) ?? this.resolve(name);
    if (channel === undefined) {
      const error = this.notFound(name);
      return throwError(() => error);
    }
    const ms = given ?? channel.timeout;
    const retry = typeof target === 'string' ? undefined : target.retry;
    return new Observable<unknown>((subscriber) => {
      const id = channel.submit(
        method,
        args,
        ms,
        (value) => {
          subscriber.next(value);
          subscriber.complete();
        },
        (error) => {
          subscriber.error(error);
        },
        retry,
      );
      return () => {
        channel.cancel(id);
      };
    });
  }

  private resolve(name: string): ServiceChannel | undefined {
    const channel = this.lookup?.channel(name);
    if (channel !== undefined) this.channels.set(name, channel);
    return channel;
  }

  private notFound(name: string): ServiceNotFoundError {
    return new ServiceNotFoundError(name, this.lookup?.names() ?? []);
  }
}

function checkTarget(target: ServiceCallTarget): string {
  const name: unknown =
    typeof target === 'string' ? target : (target as { service?: unknown } | null)?.service;
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(
      "callService: the target must be a service name or { service, method?, timeout?, retry? } with a non-empty 'service'",
    );
  }
  return name;
}

function checkMethod(service: string, method: unknown): string {
  if (typeof method !== 'string' || method.length === 0) {
    throw new InvalidArgumentError(
      `callService: the method of a call to ${service} must be a non-empty string`,
    );
  }
  return method;
}
