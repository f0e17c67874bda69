import type { LocalEnvironment } from '../../../core/api/local-environment.js';
import type { JsonValue } from '../protocol/messages.js';

/**
 * What a job module exports (as `default` or a named export): it declares a pipeline on the fresh environment
 * it receives, using the JSON `args` of the `submit_job` request (`undefined` when none were sent). The server
 * submits the environment after the builder returns (or its Promise resolves).
 *
 * @example
 * ```ts
 * const build: JobBuilder = (env, args) => {
 *   const { n = 10 } = (args ?? {}) as { n?: number };
 *   env.fromBatch(Array.from({ length: n }, (_, i) => i)).map((x) => x * 2).print();
 * };
 * export default build;
 * ```
 */
export type JobBuilder = (env: LocalEnvironment, args: JsonValue | undefined) => void | Promise<void>;
