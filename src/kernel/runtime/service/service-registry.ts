import type { Logger } from 'loglevel';
import type { SchedulerLike } from 'rxjs';
import { ServiceSetupError } from '../../../errors/service-setup-error.js';
import { isPromiseLike } from '../is-promise-like.js';
import { ServiceCaller } from './service-caller.js';
import { ServiceChannel } from './service-channel.js';
import { ServiceContext } from './service-context.js';
import type { ServiceDefinition } from './service-definition.js';
import type { ServiceLookup } from './service-lookup.js';
import { resolveServiceOptions } from './service-options.js';
import type { ServiceStats } from './service-stats.js';

/** What a registry needs besides the service definitions. */
export interface ServiceRegistryOptions {
  readonly jobId: string;
  readonly envName: string;
  readonly scheduler: SchedulerLike;
  /** The logger for a component of the job (services log as `service:<name>`). */
  loggerFor(component: string): Logger;
  /** Services of an enclosing job that this job may call too (the job of a pipeline service calls its parent's). */
  readonly parent?: ServiceLookup | undefined;
}

/** The lifecycle hooks a service may have. */
type Hook = 'setup' | 'start' | 'stop' | 'cleanup';

interface Entry {
  readonly name: string;
  readonly service: object;
  readonly channel: ServiceChannel;
  /** Settles when setup() and start() have run (undefined when both were synchronous). */
  ready: Promise<void> | undefined;
}

/**
 * The services of one job: builds each one at submit (constructor, `ctx`, `setup()`), runs `start()` when the
 * job starts and opens its channel, finds channels by name for callers, and at the end of the job answers
 * every waiting call (ServiceStoppedError), then runs `stop()` and `cleanup()`. Hooks are optional and may
 * return Promises (awaited; calls that arrive meanwhile wait); a hook that throws is logged, never rethrown.
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
   * synchronously when the hooks are synchronous. Throws ServiceSetupError when a constructor throws.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const unique = new Map<string, ServiceDefinition>();
    for (const d of this.definitions) unique.set(d.name, d);
    const { jobId, envName, scheduler } = this.options;
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
      const channel = new ServiceChannel(name, service, options, scheduler, logger);
      bound.channel = channel;
      this.byName.set(name, channel);
      this.entries.push({ name, service, channel, ready: undefined });
    }
    for (const entry of this.entries) entry.ready = this.hook(entry, 'setup');
    for (const entry of this.entries) {
      const setup = entry.ready;
      if (setup === undefined) {
        const start = this.hook(entry, 'start');
        if (start === undefined) entry.channel.open();
        else
          entry.ready = start.then(() => {
            entry.channel.open();
          });
      } else {
        entry.ready = setup
          .then(() => this.hook(entry, 'start'))
          .then(() => {
            entry.channel.open();
          });
      }
    }
  }

  /**
   * Ends the services (once; later calls return the same Promise): every waiting call fails with
   * ServiceStoppedError, then `stop()` and afterwards `cleanup()` run on each service, in reverse registration
   * order, each awaited.
   */
  stop(): Promise<void> {
    if (this.ending !== undefined) return this.ending;
    for (const entry of this.entries) entry.channel.close();
    const entries = [...this.entries].reverse();
    this.ending = (async () => {
      for (const entry of entries) {
        await entry.ready;
        await this.hook(entry, 'stop');
      }
      for (const entry of entries) await this.hook(entry, 'cleanup');
    })();
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

  /** Closes the channels built so far when a later service cannot be built. */
  private abort(): void {
    for (const entry of this.entries) entry.channel.close();
  }

  /** Runs a hook when the service has it; returns a Promise only when the hook returned one. Never throws. */
  private hook(entry: Entry, hook: Hook): Promise<void> | undefined {
    const fn = (entry.service as Partial<Record<Hook, unknown>>)[hook];
    if (typeof fn !== 'function') return undefined;
    const logger = this.options.loggerFor(`service:${entry.name}`);
    const report = (error: unknown): void => {
      logger.error(
        `service ${entry.name}: ${hook}() failed:`,
        error instanceof Error ? error.message : error,
      );
    };
    let result: unknown;
    try {
      result = (fn as () => unknown).call(entry.service);
    } catch (e) {
      report(e);
      return undefined;
    }
    if (!isPromiseLike(result)) return undefined;
    return Promise.resolve(result).then(() => undefined, report);
  }
}
