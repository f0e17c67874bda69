import type { Transformation } from '../../core/transformation/transformation.js';
import type { ServiceDefinition } from '../runtime/service/service-definition.js';
import type { ServiceLookup } from '../runtime/service/service-lookup.js';
import type { JobConfig } from './job-config.js';
import type { JobOrigin } from './job-origin.js';

/**
 * What the JobManager needs to run a job: a name, the configuration and the logical plan. An environment is
 * one; so is anything else with these fields.
 *
 * @example
 * ```ts
 * jobManager.submitJob({ name: 'adhoc', config: {}, pipeline: env.pipeline });
 * ```
 */
export interface JobDescription {
  readonly name: string;
  readonly config: Readonly<JobConfig>;
  readonly pipeline: readonly Transformation[];
  /** Services built at submit, callable from every function of the job (`env.registerService`). */
  readonly services?: readonly ServiceDefinition[];
  /** Services of a running job that this job may call too (the job behind a pipeline service calls its parent's). */
  readonly parentServices?: ServiceLookup;
  /** The job module it was built from (absent for a job built inline); backends beyond one thread need it. */
  readonly origin?: JobOrigin | undefined;
  /**
   * Called with the job's uuid once the JobManager knows the job, before its first record runs (records of a
   * batch source may all run inside `submit`): an environment keeps it as its `jobId` from then on.
   */
  registered?(uuid: string): void;
}
