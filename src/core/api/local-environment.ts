import { toError } from '../../errors/to-error.js';
import { JobStateError } from '../../errors/job-state-error.js';
import type { JobConfig } from '../../kernel/jobmanager/job-config.js';
import type { JobInfo } from '../../kernel/jobmanager/job-info.js';
import { JobManager, type SubmitOptions } from '../../kernel/jobmanager/job-manager.js';
import type { ServiceCallTarget } from '../../kernel/runtime/service/service-call-target.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { JobModuleError } from '../../errors/job-module-error.js';
import type { JobDescription } from '../../kernel/jobmanager/job-description.js';
import { hashModuleFile, type JobOrigin } from '../../kernel/jobmanager/job-origin.js';
import type { JsonValue } from '../../kernel/jobmanager/protocol/messages.js';
import { importJobBuilder } from '../../kernel/jobmanager/server/import-job-builder.js';
import { jobNameOf } from '../../kernel/jobmanager/server/job-name-of.js';
import { findNonJson } from '../../kernel/jobmanager/find-non-json.js';
import { BaseEnvironment } from './base-environment.js';

/** Configuration of a local environment. */
export interface LocalEnvironmentConfig extends JobConfig {
  /** The JobManager to submit to (default: the process-wide `JobManager.default`). */
  jobManager?: JobManager;
}

/** Options of `LocalEnvironment.fromModule`. */
export interface FromModuleOptions {
  /** The export holding the builder (default `'default'`). */
  readonly export?: string;
  /** JSON arguments for the builder (every worker of a job gets the same). */
  readonly args?: JsonValue;
  /** The environment's name (default: the export's name when named, else the module file's base name). */
  readonly name?: string;
  /** Configuration of the environment (its JobManager included). */
  readonly config?: LocalEnvironmentConfig;
}

/**
 * Runs pipelines in this process, on the embedded JobManager (no network port is opened).
 *
 * @example
 * ```ts
 * const env = new LocalEnvironment('demo');
 * const out: number[] = [];
 * env.fromBatch([1, 2, 3, 4, 5]).map((x) => x * 2).filter((x) => x !== 4).sink((x) => { out.push(x); });
 * await env.submit({ autostop: true }); // out = [2, 6, 8, 10]
 * ```
 */
export class LocalEnvironment extends BaseEnvironment implements JobDescription {
  private readonly manager: JobManager;
  private currentJob: string | undefined;
  private closed = false;
  private moduleOrigin: JobOrigin | undefined;

  /**
   * Imports a job module (a file exporting a builder `(env, args) => void | Promise<void>`; `.ts` files load
   * through tsx) and runs its builder on a new environment, which it returns, not yet submitted. A job built
   * this way can run on every backend: each worker thread imports the same module with the same `args` and
   * builds the same plan. `module` is a file URL (`new URL('./job.ts', import.meta.url)`) or a path.
   *
   * @example
   * ```ts
   * const env = await LocalEnvironment.fromModule(new URL('./jobs/count.ts', import.meta.url), { args: { n: 10 } });
   * await env.submit({ backend: { kind: 'threads', workers: 2 }, autostop: true });
   * ```
   */
  static async fromModule(module: string | URL, options: FromModuleOptions = {}): Promise<LocalEnvironment> {
    const file =
      module instanceof URL || module.startsWith('file:') ? fileURLToPath(module) : resolve(module);
    const exportName = options.export ?? 'default';
    const notJson = options.args === undefined ? undefined : findNonJson(options.args, 'args');
    if (notJson !== undefined) {
      throw new JobModuleError(
        `Job module ${file}: ${notJson}, but a job module's args must be JSON (every worker of the job receives ` +
          'them as JSON): pass plain data (objects, arrays, strings, finite numbers, booleans, null) and build ' +
          'anything else inside the builder',
      );
    }
    const builder = await importJobBuilder(file, exportName);
    const moduleHash = await hashModuleFile(file);
    const env = new LocalEnvironment(
      options.name ?? (exportName !== 'default' ? exportName : jobNameOf(file)),
      options.config,
    );
    env.moduleOrigin = {
      module: pathToFileURL(file).href,
      exportName,
      args: options.args,
      moduleHash,
    };
    try {
      await builder(env, options.args);
    } catch (e) {
      throw new JobModuleError(
        `Job module ${file} (export "${exportName}") threw while building: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    return env;
  }

  /**
   * Records that this environment's pipeline is built by the job module `origin` (what `fromModule` and the
   * JobManager server do), so that its jobs may run on backends beyond this thread. Returns the environment.
   *
   * @example
   * ```ts
   * const env = new LocalEnvironment('etl').withOrigin(origin);
   * ```
   */
  withOrigin(origin: JobOrigin | undefined): this {
    this.moduleOrigin = origin;
    return this;
  }

  /** The job module this environment was built from (`fromModule`); undefined for one built inline. */
  get origin(): JobOrigin | undefined {
    return this.moduleOrigin;
  }

  constructor(name?: string, config: LocalEnvironmentConfig = {}) {
    super(name, config);
    this.manager = config.jobManager ?? JobManager.default;
  }

  get jobManager(): JobManager {
    return this.manager;
  }

  /**
   * Uuid of the job most recently submitted from this environment, set as soon as the JobManager knows the job:
   * also while `submit` runs the records of a batch source.
   */
  get jobId(): string | undefined {
    return this.currentJob;
  }

  /**
   * Called by the JobManager with the uuid of the job it is starting from this environment (before its first
   * record runs): from then on it is {@link jobId}.
   *
   * @example
   * ```ts
   * env.fromBatch([1]).sink(() => jm.pauseJob(env.jobId as string)); // the job's uuid, inside submit too
   * ```
   */
  registered(uuid: string): void {
    this.currentJob = uuid;
  }

  /**
   * Compiles and starts the pipeline; wiring and source subscriptions happen synchronously in this call.
   * Resolves with the job's uuid; with `autostop: true`, only after the job completed (rejecting if it failed).
   *
   * @example
   * ```ts
   * const uuid = await env.submit();                  // runs in the background
   * await env.submit({ autostop: true });             // waits for the end
   * ```
   */
  submit(options: SubmitOptions = {}): Promise<string> {
    if (this.closed) {
      return Promise.reject(
        new JobStateError(`Environment ${this.name} is closed: create a new environment`),
      );
    }
    let info: JobInfo;
    try {
      info = this.manager.startJob(this, options);
    } catch (e) {
      return Promise.reject(toError(e));
    }
    this.currentJob = info.uuid;
    return options.autostop === true ? info.result() : Promise.resolve(info.uuid);
  }

  /**
   * Calls a service of the running job (the one most recently submitted) from outside any operator: method
   * `process` unless named, default timeout 10 s. Rejects with JobStateError when no job was submitted, and
   * with ServiceStoppedError once the job has ended.
   *
   * @example
   * ```ts
   * env.registerService('calc', Calc, 3);
   * await env.submit();
   * await env.callService('calc', 2);                            // 6
   * await env.callService({ service: 'calc', method: 'add' }, 2, 100); // 102
   * ```
   */
  callService<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    const uuid = this.currentJob;
    const services = uuid === undefined ? undefined : this.manager.getJob(uuid)?.services;
    if (services === undefined) {
      return Promise.reject(
        new JobStateError(
          `Environment ${this.name} has no running job: submit it before calling its services`,
        ),
      );
    }
    return services.caller.call(target, args) as Promise<R>;
  }

  /**
   * Stops the job most recently submitted from this environment (nothing happens when there is none).
   *
   * @example
   * ```ts
   * await env.submit();
   * env.stop();
   * ```
   */
  stop(): void {
    const uuid = this.currentJob;
    if (uuid !== undefined && this.manager.getJob(uuid) !== undefined) this.manager.stopJob(uuid);
  }

  /**
   * Stops the current job and releases the environment: later submits are refused.
   *
   * @example
   * ```ts
   * env.close();
   * ```
   */
  close(): void {
    this.stop();
    this.closed = true;
  }
}
