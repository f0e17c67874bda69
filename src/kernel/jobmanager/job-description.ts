import type { Transformation } from '../../core/transformation/transformation.js';
import type { JobConfig } from './job-config.js';

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
}
