import { expect } from 'chai';
import { NEVER } from 'rxjs';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { BaseService } from '../../../../src/core/api/service/base-service.js';
import { ServiceSetupError } from '../../../../src/errors/service-setup-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { ServiceFactory } from '../../../../src/core/api/factory/service-factory.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

/** A service whose stop() and cleanup() never settle; it records on which frame each hook began. */
class Stuck extends BaseService {
  static readonly events: string[] = [];
  stop(): Promise<void> {
    Stuck.events.push(`stop at ${String(this.ctx.scheduler.now())}`);
    return new Promise(() => undefined);
  }
  cleanup(): Promise<void> {
    Stuck.events.push(`cleanup at ${String(this.ctx.scheduler.now())}`);
    return new Promise(() => undefined);
  }
  process(x: number): number {
    return x;
  }
}

describe('service hooks that never settle', () => {
  beforeEach(() => {
    Stuck.events.length = 0;
  });

  it('cannot hang submit({ autostop }): each hook is bounded by serviceHookTimeoutMs of virtual time', async () => {
    let done: Promise<string> | undefined;
    await runMarbles(
      ({ env, cold }) => {
        env.registerService('stuck', Stuck);
        env.fromObservable(cold('-a|', { a: 1 })).sink(() => undefined);
        done = env.submit({ autostop: true });
      },
      { config: { logLevel: 'silent', serviceHookTimeoutMs: 50 } },
    );
    expect(typeof (await done)).to.equal('string');
    expect(Stuck.events).to.deep.equal(['stop at 2', 'cleanup at 52']);
  });

  it('cannot hang stopJob: a stopped job with stuck hooks ends after the service-level hookTimeoutMs', async () => {
    let done: Promise<string> | undefined;
    await runMarbles(
      ({ env }) => {
        env.registerServiceFactory(new ServiceFactory('stuck', Stuck, [], { hookTimeoutMs: 20 }));
        env.fromObservable(NEVER).sink(() => undefined);
        done = env.submit({ autostop: true });
        env.stopAt(10);
      },
      { config: { logLevel: 'silent' } },
    );
    expect(typeof (await done)).to.equal('string');
    expect(Stuck.events).to.deep.equal(['stop at 10', 'cleanup at 30']);
  });

  it('refuses a service whose setup() rejects: its calls fail with ServiceSetupError carrying the cause', async () => {
    class Broken extends BaseService {
      setup(): Promise<void> {
        return Promise.reject(new Error('no index'));
      }
      process(x: number): number {
        return x;
      }
    }
    const env = new LocalEnvironment('broken-setup', { jobManager: new JobManager(), logLevel: 'silent' });
    env.registerService('broken', Broken);
    const results: unknown[] = [];
    env
      .fromBatch([1])
      .map(async function (this: MapFunction<number, unknown>, x: number) {
        return this.callService('broken', x).catch((e: unknown) => e);
      })
      .sink((r) => {
        results.push(r);
      });
    await env.submit({ autostop: true });
    expect(results).to.have.length(1);
    expect(results[0]).to.be.instanceOf(ServiceSetupError);
    expect(((results[0] as Error).cause as Error).message).to.equal('no index');
  });
});
