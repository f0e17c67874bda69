import type { Logger } from 'loglevel';
import type { ServiceContext } from '../../../kernel/runtime/service/service-context.js';
import { ServiceClient } from './service-client.js';

/**
 * Optional base of a service class: gives it `ctx` (injected after construction, available from `setup()` on),
 * `logger`, and the same service calls functions have, so services can call other services. Any class can be
 * a service; the method called by default is `process`, and the lifecycle hooks `setup()`, `start()`,
 * `stop()` and `cleanup()` run when present (they may return Promises).
 *
 * @example
 * ```ts
 * class Answer extends BaseService {
 *   setup() { this.logger.info('ready'); }
 *   async process(question: string) {
 *     const docs = await this.callService<string[]>('retriever', question);
 *     return `${question} → ${docs.join(', ')}`;
 *   }
 * }
 * env.registerService('answer', Answer);
 * ```
 */
export abstract class BaseService extends ServiceClient {
  /** The service's context; set by the runtime after the constructor, before `setup()`. */
  ctx!: ServiceContext;

  /** The service's logger (loglevel), at the environment's level. */
  get logger(): Logger {
    return this.ctx.logger;
  }

  protected serviceCalls(): ServiceContext {
    return this.ctx;
  }
}
