import { SageError } from './sage-error.js';

/**
 * A feature needs an optional package that is not installed (the Redis backend and connectors need `redis`,
 * an optional peer dependency, so that the core package stays light).
 *
 * @example
 * ```ts
 * try { await RedisLog.connect(url); }
 * catch (e) { if (e instanceof MissingDependencyError) console.error(e.message); } // …run npm install redis
 * ```
 */
export class MissingDependencyError extends SageError {
  constructor(
    readonly dependency: string,
    readonly feature: string,
    cause?: unknown,
  ) {
    super(
      `${feature} needs the optional package '${dependency}', which is not installed here: run npm install ${dependency}`,
      { cause },
    );
  }
}
