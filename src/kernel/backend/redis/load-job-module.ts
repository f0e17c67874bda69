import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'loglevel';
import { LocalEnvironment } from '../../../core/api/local-environment.js';
import { ExecutionGraph } from '../../jobmanager/compiler/execution-graph.js';
import { JobLoggers } from '../../jobmanager/job-logger.js';
import { JobManager } from '../../jobmanager/job-manager.js';
import { planFingerprint } from '../../jobmanager/plan-fingerprint.js';
import type { JsonValue } from '../../jobmanager/protocol/messages.js';
import { checkErrorPolicy, type ErrorPolicy } from '../../runtime/error-policy.js';
import type { PhysicalPlan } from '../../runtime/physical-plan.js';

/** A job's plan as one worker built it, with what its tasks need to run. */
export interface LoadedJob {
  readonly plan: PhysicalPlan;
  readonly fingerprint: string;
  readonly envName: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly errorPolicy: ErrorPolicy;
  readonly loggerFor: (operator: string, instance?: number) => Logger;
}

/** Where a job's builder is: a module under a job root, its export and its JSON args. */
export interface JobModuleRef {
  readonly jobRoot: string;
  readonly module: string;
  readonly exportName?: string;
  readonly args?: unknown;
  readonly jobId: string;
}

/**
 * Imports a job module from a job root and builds its plan, exactly as every worker does (same module file,
 * same `args`, same compile options), with the plan fingerprint they compare.
 *
 * @example
 * ```ts
 * const job = await loadJobModule({ jobRoot: './jobs', module: 'count.ts', jobId: 'job-1' });
 * job.fingerprint; // '3f…'
 * ```
 */
export async function loadJobModule(ref: JobModuleRef): Promise<LoadedJob> {
  const url = pathToFileURL(resolve(ref.jobRoot, ref.module)).href;
  const env = await LocalEnvironment.fromModule(url, {
    export: ref.exportName ?? 'default',
    ...(ref.args !== undefined ? { args: ref.args as JsonValue } : {}),
    config: { jobManager: new JobManager() },
  });
  return compileJob(env, ref.jobId, env.origin?.moduleHash ?? '');
}

/**
 * Compiles a built environment into what a worker runs (for builders run in this process, as in specs).
 *
 * @example
 * ```ts
 * const job = compileJob(env, 'job-1', '');
 * ```
 */
export function compileJob(env: LocalEnvironment, jobId: string, moduleHash: string): LoadedJob {
  const config = env.config;
  const plan = ExecutionGraph.compile(env.pipeline, {
    fusion: config.fusion !== false,
    ...(typeof config.maxParallelism === 'number' ? { maxParallelism: config.maxParallelism } : {}),
  });
  const loggers = new JobLoggers({ envName: env.name, jobId, level: config.logLevel, sink: config.logSink });
  return {
    plan,
    fingerprint: planFingerprint(plan, moduleHash),
    envName: env.name,
    config: { ...config, jobManager: undefined },
    errorPolicy: checkErrorPolicy(config.errorPolicy, `environment ${env.name}`) ?? 'skip',
    loggerFor: (operator, instance) => loggers.for(operator, instance),
  };
}
