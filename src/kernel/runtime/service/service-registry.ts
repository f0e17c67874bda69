import type { Logger } from 'loglevel';
import type { SchedulerLike } from 'rxjs';
import { ServiceHookTimeoutError } from '../../../errors/service-hook-timeout-error.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';
import { ServiceSetupError } from '../../../errors/service-setup-error.js';
import { isPromiseLike } from '../is-promise-like.js';
import { ServiceCaller } from './service-caller.js';
import { ServiceChannel } from './service-channel.js';
import { ServiceContext } from './service-context.js';
import type { ServiceDefinition } from './service-definition.js';
import type { ServiceLookup } from './service-lookup.js';
import { checkHookTimeout, DEFAULT_HOOK_TIMEOUT, resolveServiceOptions } from './service-options.js';
import type { ServiceStats } from './service-stats.js';
import { errorMessage } from '../../../errors/error-message.js';

/** What a registry needs besides the service definitions. */
export interface ServiceRegistryOptions {
  readonly jobId: string;
  readonly envName: string;
  readonly scheduler: SchedulerLike;
  /** The logger for a component of the job (services log as `service:<name>`). */
  loggerFor(component: string): Logger;
  /** Services of an enclosing job that this job may call too (the job of a pipeline service calls its parent's). */
  readonly parent?: ServiceLookup | undefined;
  /**
   * How long a lifecycle hook may take before the registry logs it and goes on, in ms of the scheduler (default
   * 10,000; a service's own `hookTimeoutMs` option wins). The job config's `serviceHookTimeoutMs`.
   */
  readonly hookTimeoutMs?: unknown;
}

/** The lifecycle hooks a service may have. */
type Hook = 'setup' | 'start' | 'stop' | 'cleanup';

interface Entry {
  readonly name: string;
  readonly service: object;
  readonly channel: ServiceChannel;
  readonly hookTimeoutMs: number;
  readonly logger: Logger;
  /** setup() has ended (settled, failed or timed out). */
  setUp: boolean;
  /** setup() threw or rejected: the service refuses calls, and neither start() nor stop() runs. */
  failed: boolean;
  /** setup() and start() have ended: stop() may run. */
  ready: boolean;
  /** Runs once `ready` turns true (stop() waiting for a slow start). */
  onReady: (() => void) | undefined;
}

/**
 * The services of one job: builds each one at submit (constructor, `ctx`, `setup()`), runs `start()` when the
 * job starts and opens its channel, finds channels by name for callers, and at the end of the job answers
 * every waiting call (ServiceStoppedError), then runs `stop()` and `cleanup()`. Hooks are optional and may
 * return Promises (awaited; calls that arrive meanwhile wait). A hook that throws, rejects or does not settle
 * within the hook timeout (a timer on the job's scheduler, so it works in virtual time) is logged and the
 * registry goes on, so the end of a job never hangs on a hook (a `setup()` that timed out too: its service
 * serves calls; in virtual time, where Promises settle only after the flush, every hook that returns a Promise
 * takes its whole timeout of virtual time). A service whose `setup()` threw or rejected
 * serves no calls: they fail with ServiceSetupError (its `cause` says why); its `start()` and `stop()` do not run,
 * its `cleanup()` does.
 *
 * @example
 * ```ts
 * const registry = new ServiceRegistry([{ name: 'calc', create: () => new Calc(3) }], { jobId, envName, scheduler, loggerFor });
 * registry.start();
 * await registry.caller.call('calc', [2]); // 6
 * await registry.stop();
 * ```
 */
export class ServiceRegistry implements ServiceLookup {
  private readonly entries: Entry[] = [];
  private readonly byName = new Map<string, ServiceChannel>();
  private started = false;
  private ending: Promise<void> | undefined;
  private ownCaller: ServiceCaller | undefined;

  constructor(
    private readonly definitions: readonly ServiceDefinition[],
    private readonly options: ServiceRegistryOptions,
  ) {}

  /** Number of services of the job. */
  get size(): number {
    return this.entries.length;
  }

  /** A caller for code outside any operator or service (`env.callService`). */
  get caller(): ServiceCaller {
    return (this.ownCaller ??= new ServiceCaller(this));
  }

  /**
   * Builds every service, runs `setup()` on each, then `start()` on each, and opens their channels; all of it
   * synchronously when the hooks are synchronous. Throws ServiceSetupError when a constructor throws, and a
   * TypeError for a bad hook timeout.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const unique = new Map<string, ServiceDefinition>();
    for (const d of this.definitions) unique.set(d.name, d);
    const { jobId, envName, scheduler } = this.options;
    const jobHookTimeout =
      this.options.hookTimeoutMs === undefined
        ? DEFAULT_HOOK_TIMEOUT
        : checkHookTimeout('serviceHookTimeoutMs', this.options.hookTimeoutMs);
    for (const definition of unique.values()) {
      const name = definition.name;
      const logger = this.options.loggerFor(`service:${name}`);
      const options = resolveServiceOptions(name, definition.options);
      const bound: { channel?: ServiceChannel } = {};
      const ctx = new ServiceContext({
        name,
        envName,
        jobId,
        logger,
        scheduler,
        services: this,
        currentSignal: () => bound.channel?.currentSignal(),
      });
      let service: unknown;
      try {
        service = definition.create(ctx);
      } catch (e) {
        this.abort();
        throw new ServiceSetupError(name, e);
      }
      if (service === null || (typeof service !== 'object' && typeof service !== 'function')) {
        this.abort();
        throw new ServiceSetupError(name, new TypeError('the factory did not return an object'));
      }
      if (
        options.batch !== undefined &&
        typeof (service as { processBatch?: unknown }).processBatch !== 'function'
      ) {
        this.abort();
        throw new ServiceOptionsError(
          name,
          'batch',
          'needs a service that implements processBatch(requests) → replies: add it or drop the batch option',
        );
      }
      const channel = new ServiceChannel(name, service, options, scheduler, logger);
      bound.channel = channel;
      this.byName.set(name, channel);
      this.entries.push({
        name,
        service,
        channel,
        logger,
        hookTimeoutMs: options.hookTimeoutMs ?? jobHookTimeout,
        setUp: false,
        failed: false,
        ready: false,
        onReady: undefined,
      });
    }
    let startsBegun = false;
    for (const entry of this.entries) {
      this.hook(entry, 'setup', (error) => {
        if (error !== undefined && !(error instanceof ServiceHookTimeoutError)) {
          const refusal = new ServiceSetupError(entry.name, error, 'setup');
          entry.failed = true;
          entry.channel.close(() => refusal);
        }
        entry.setUp = true;
        if (startsBegun) this.begin(entry);
      });
    }
    startsBegun = true;
    for (const entry of this.entries) if (entry.setUp) this.begin(entry);
  }

  /**
   * Ends the services (once; later calls return the same Promise): every waiting call fails with
   * ServiceStoppedError, then `stop()` and afterwards `cleanup()` run on each service, in reverse registration
   * order, each awaited for at most the hook timeout.
   */
  stop(): Promise<void> {
    if (this.ending !== undefined) return this.ending;
    for (const entry of this.entries) entry.channel.close();
    const entries = [...this.entries].reverse();
    this.ending = new Promise<void>((resolve) => {
      const cleanup = (i: number): void => {
        const entry = entries[i];
        if (entry === undefined) {
          resolve();
          return;
        }
        this.hook(entry, 'cleanup', () => {
          cleanup(i + 1);
        });
      };
      const stop = (i: number): void => {
        const entry = entries[i];
        if (entry === undefined) {
          cleanup(0);
          return;
        }
        this.whenReady(entry, () => {
          if (entry.failed) stop(i + 1);
          else
            this.hook(entry, 'stop', () => {
              stop(i + 1);
            });
        });
      };
      stop(0);
    });
    return this.ending;
  }

  channel(name: string): ServiceChannel | undefined {
    return this.byName.get(name) ?? this.options.parent?.channel(name);
  }

  names(): string[] {
    const own = [...this.byName.keys()];
    const parent = this.options.parent?.names() ?? [];
    return [...own, ...parent.filter((n) => !this.byName.has(n))];
  }

  /** Counters of every service of the job, in registration order. */
  stats(): ServiceStats[] {
    return this.entries.map((e) => e.channel.stats());
  }

  /** Runs `start()` on a service that is set up, then opens its channel (a failed `start()` is only logged). */
  private begin(entry: Entry): void {
    if (entry.failed) {
      this.markReady(entry);
      return;
    }
    this.hook(entry, 'start', () => {
      entry.channel.open();
      this.markReady(entry);
    });
  }

  private markReady(entry: Entry): void {
    entry.ready = true;
    const waiting = entry.onReady;
    entry.onReady = undefined;
    waiting?.();
  }

  private whenReady(entry: Entry, then: () => void): void {
    if (entry.ready) then();
    else entry.onReady = then;
  }

  /** Closes the channels built so far when a later service cannot be built. */
  private abort(): void {
    for (const entry of this.entries) entry.channel.close();
  }

  /**
   * Runs a hook when the service has it and calls `done` once when it has ended: at once when it is missing or
   * synchronous, when its Promise settles, or when the hook timeout passes on the job's scheduler. `done`
   * receives the error when the hook threw, rejected or timed out (each logged). Never throws.
   */
  private hook(entry: Entry, hook: Hook, done: (error?: unknown) => void): void {
    const fn = (entry.service as Partial<Record<Hook, unknown>>)[hook];
    if (typeof fn !== 'function') {
      done();
      return;
    }
    const report = (error: unknown): void => {
      entry.logger.error(`service ${entry.name}: ${hook}() failed:`, errorMessage(error));
    };
    let result: unknown;
    try {
      result = (fn as () => unknown).call(entry.service);
    } catch (e) {
      report(e);
      done(e);
      return;
    }
    if (!isPromiseLike(result)) {
      done();
      return;
    }
    let ended = false;
    const timer = this.options.scheduler.schedule(() => {
      if (ended) return;
      ended = true;
      const error = new ServiceHookTimeoutError(entry.name, hook, entry.hookTimeoutMs);
      entry.logger.error(error.message);
      done(error);
    }, entry.hookTimeoutMs);
    result.then(
      () => {
        if (ended) return;
        ended = true;
        timer.unsubscribe();
        done();
      },
      (error: unknown) => {
        report(error);
        if (ended) return;
        ended = true;
        timer.unsubscribe();
        done(error);
      },
    );
  }
}
