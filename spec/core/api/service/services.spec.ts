import { expect } from 'chai';
import log from 'loglevel';
import { firstValueFrom, map as rxMap, timer } from 'rxjs';
import { ServiceFactory } from '../../../../src/core/api/factory/service-factory.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { BaseService } from '../../../../src/core/api/service/base-service.js';
import { JobStateError } from '../../../../src/errors/job-state-error.js';
import { ServiceCallError } from '../../../../src/errors/service-call-error.js';
import { ServiceNotFoundError } from '../../../../src/errors/service-not-found-error.js';
import { ServiceStoppedError } from '../../../../src/errors/service-stopped-error.js';
import { ServiceTimeoutError } from '../../../../src/errors/service-timeout-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';
import type { ServiceDefinition } from '../../../../src/kernel/runtime/service/service-definition.js';
import { waitFor } from '../../../helpers/wait-for.js';

class Calc {
  constructor(private readonly k: number) {}
  process(x: number): number {
    return x * this.k;
  }
  add(a: number, b: number): number {
    return a + b;
  }
  fail(x: number): number {
    throw new Error(`bad ${x}`);
  }
  slow(x: number): Promise<number> {
    return firstValueFrom(timer(300).pipe(rxMap(() => x)));
  }
}

function environment(name = 'services'): LocalEnvironment {
  log.getLogger(`sage-kernel:${name}`).setLevel('silent');
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

/** Runs `call` on each input inside a map and returns what each call gave (its value or its error). */
async function callEach(
  env: LocalEnvironment,
  inputs: number[],
  call: (fn: MapFunction<number, unknown>, x: number) => Promise<unknown>,
): Promise<unknown[]> {
  const out: unknown[] = [];
  env
    .fromBatch(inputs)
    .map(async function (this: MapFunction<number, unknown>, x: number) {
      return call(this, x).catch((e: unknown) => e);
    })
    .sink((v) => {
      out.push(v);
    });
  await env.submit({ autostop: true });
  return out;
}

describe('services', () => {
  it("registerService('calc', Calc, 3): callService('calc', x) = 3x and { method: 'add' } gives x + 100", async () => {
    const env = environment();
    env.registerService('calc', Calc, 3);
    const out = await callEach(env, [1, 2, 3], async (fn, x) => [
      await fn.callService('calc', x),
      await fn.callService({ service: 'calc', method: 'add' }, x, 100),
    ]);
    expect(out).to.deep.equal([
      [3, 101],
      [6, 102],
      [9, 103],
    ]);
  });

  it('callServiceAsync and callService$ give the same answers', async () => {
    const env = environment();
    env.registerService('calc', Calc, 3);
    const out = await callEach(env, [1, 2], async (fn, x) => [
      await fn.callServiceAsync('calc', x),
      await firstValueFrom(fn.callService$('calc', x)),
      await fn.callServiceAsync({ service: 'calc', method: 'add' }, x, 100),
      await firstValueFrom(fn.callService$({ service: 'calc', method: 'add' }, x, 100)),
    ]);
    expect(out).to.deep.equal([
      [3, 3, 101, 101],
      [6, 6, 102, 102],
    ]);
  });

  it("a method that throws Error('bad 1') rejects with a ServiceCallError carrying it", async () => {
    const env = environment();
    env.registerService('calc', Calc, 3);
    const [error] = await callEach(env, [1], (fn, x) =>
      fn.callService({ service: 'calc', method: 'fail' }, x),
    );
    expect(error).to.be.instanceOf(ServiceCallError);
    expect((error as Error).message).to.contain('bad 1');
    expect(((error as Error).cause as Error).message).to.equal('bad 1');
  });

  it('a 300 ms method called with a 50 ms timeout times out, and the next call still gets its own answer', async () => {
    const env = environment();
    env.registerService('calc', Calc, 3);
    const [timedOut, next] = await callEach(env, [1], async (fn) => {
      const first = await fn
        .callService({ service: 'calc', method: 'slow', timeout: 50 }, 1)
        .catch((e: unknown) => e);
      const second = await fn.callService({ service: 'calc', method: 'add' }, 2, 100);
      return [first, second];
    }).then((out) => out[0] as unknown[]);
    expect(timedOut).to.be.instanceOf(ServiceTimeoutError);
    expect((timedOut as Error).message)
      .to.contain('calc.slow')
      .and.contain('50 ms');
    expect(next).to.equal(102);
    const status = env.jobManager.getJobStatus(env.jobId!) as JobStatus;
    expect(status.services[0]).to.include({ timeouts: 1, replies: 1 });
  });

  it('an unknown name rejects with ServiceNotFoundError', async () => {
    const env = environment();
    env.registerService('calc', Calc, 3);
    const [error] = await callEach(env, [1], (fn, x) => fn.callService('nope', x));
    expect(error).to.be.instanceOf(ServiceNotFoundError);
    expect((error as Error).message)
      .to.contain("'nope'")
      .and.contain('calc');
  });

  it('runs the hooks in order: setup < start, then stop < cleanup, before submit({ autostop }) resolves', async () => {
    const events: string[] = [];
    class Hooked extends BaseService {
      setup() {
        events.push(`setup:${this.ctx.name}`);
      }
      start() {
        events.push('start');
      }
      process(x: number) {
        events.push(`process ${x}`);
        return x;
      }
      async stop() {
        await Promise.resolve();
        events.push('stop');
      }
      cleanup() {
        events.push('cleanup');
      }
    }
    const env = environment();
    env.registerService('hooked', Hooked);
    await callEach(env, [1], (fn, x) => fn.callService('hooked', x));
    expect(events).to.deep.equal(['setup:hooked', 'start', 'process 1', 'stop', 'cleanup']);
  });

  it('lets a service call another service', async () => {
    class Answer extends BaseService {
      async process(x: number): Promise<string> {
        const tripled = await this.callService<number>('calc', x);
        const plus = await firstValueFrom(
          this.callService$<number>({ service: 'calc', method: 'add' }, tripled, 1),
        );
        return `${x} → ${plus}`;
      }
    }
    const env = environment();
    env.registerService('calc', Calc, 3);
    env.registerService('answer', Answer);
    expect(await callEach(env, [1, 2], (fn, x) => fn.callService('answer', x))).to.deep.equal([
      '1 → 4',
      '2 → 7',
    ]);
  });

  it("env.callService calls a running job's service from outside, and refuses without a job", async () => {
    const env = environment();
    env.registerService('calc', Calc, 3);
    expect(await env.callService('calc', 1).catch((e: unknown) => e)).to.be.instanceOf(JobStateError);
    env.fromSource(() => undefined, { delay: 5 }).sink(() => undefined);
    await env.submit();
    expect(await env.callService('calc', 5)).to.equal(15);
    expect(await env.callService({ service: 'calc', method: 'add' }, 5, 100)).to.equal(105);
    env.stop();
    expect(await env.callService('calc', 5).catch((e: unknown) => e)).to.be.instanceOf(ServiceStoppedError);
  });

  it('handles up to `concurrency` requests at once when configured through the factory', async () => {
    let running = 0;
    let most = 0;
    class Busy {
      async process(x: number): Promise<number> {
        running++;
        most = Math.max(most, running);
        await firstValueFrom(timer(5));
        running--;
        return x;
      }
    }
    const env = environment();
    env.registerServiceFactory(new ServiceFactory('busy', Busy, [], { concurrency: 3 }));
    const out: number[] = [];
    env
      .fromBatch(Array.from({ length: 12 }, (_, i) => i))
      .map(
        async function (this: MapFunction<number, number>, x: number) {
          return this.callService<number>('busy', x);
        },
        { parallelism: 6 },
      )
      .sink((x) => {
        out.push(x);
      });
    await env.submit({ autostop: true });
    expect(out.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i));
    expect(most).to.equal(3);
  });

  it('uses the default timeout given to the factory', async () => {
    const env = environment();
    env.registerServiceFactory(new ServiceFactory('calc', Calc, [3], { timeout: 20 }));
    const [error] = await callEach(env, [1], (fn, x) =>
      fn.callService({ service: 'calc', method: 'slow' }, x),
    );
    expect(error).to.be.instanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).timeout).to.equal(20);
  });

  it('replaces a service registered again under the same name', async () => {
    class Other {
      process(x: number) {
        return -x;
      }
    }
    const env = environment();
    env.registerService('calc', Calc, 3);
    env.registerService('calc', Other);
    expect(env.services.map((s) => s.name)).to.deep.equal(['calc']);
    expect(await callEach(env, [2], (fn, x) => fn.callService('calc', x))).to.deep.equal([-2]);
  });

  it('shows calls, errors, timeouts and latency per service in the job status', async () => {
    const env = environment();
    env.registerServiceFactory(new ServiceFactory('calc', Calc, [3], { timeout: 20 }));
    await callEach(env, [1, 2, 3], async (fn, x) => {
      await fn.callService('calc', x);
      if (x === 2) await fn.callService({ service: 'calc', method: 'fail' }, x).catch(() => undefined);
      if (x === 3) await fn.callService({ service: 'calc', method: 'slow' }, x).catch(() => undefined);
    });
    const status = env.jobManager.getJobStatus(env.jobId!) as JobStatus;
    const [calc] = status.services;
    expect(calc).to.include({ service: 'calc', calls: 5, replies: 3, errors: 1, timeouts: 1, pending: 0 });
    expect(calc!.latencyMs.p50).to.be.greaterThan(0);
    expect(calc!.latencyMs.p99).to.be.at.least(calc!.latencyMs.p50);
  });

  it('ends a call in flight with ServiceStoppedError when the job is stopped, and still stops and cleans up', async () => {
    const events: string[] = [];
    class Never {
      process(): Promise<never> {
        events.push('called');
        return new Promise<never>(() => undefined);
      }
      stop() {
        events.push('stop');
      }
      cleanup() {
        events.push('cleanup');
      }
    }
    const env = environment();
    env.registerService('never', Never);
    const results: unknown[] = [];
    env
      .fromBatch([1])
      .map(async function (this: MapFunction<number, unknown>) {
        return this.callService('never').catch((e: unknown) => {
          results.push(e);
          return e;
        });
      })
      .sink(() => undefined);
    const uuid = await env.submit();
    await waitFor(() => events.includes('called'), { what: 'the service call' });
    env.stop();
    await env.jobManager.getJob(uuid)!.whenDone();
    expect(events).to.deep.equal(['called', 'stop', 'cleanup']);
    await waitFor(() => results.length === 1, { what: 'the caller to get an answer' });
    expect(results[0]).to.be.instanceOf(ServiceStoppedError);
  });

  it('fails submit when a service constructor throws, naming the service', async () => {
    class Broken {
      constructor() {
        throw new Error('missing index');
      }
    }
    const env = environment();
    env.registerService('broken', Broken);
    env.fromBatch([1]).sink(() => undefined);
    const error = await env.submit({ autostop: true }).catch((e: unknown) => e);
    expect((error as Error).message)
      .to.contain('broken')
      .and.contain('missing index');
  });

  it('validates registrations at once', () => {
    const env = environment();
    expect(() => env.registerService('', Calc, 3)).to.throw(TypeError);
    expect(() => env.registerServiceFactory(new ServiceFactory('c', Calc, [3], { concurrency: 0 }))).to.throw(
      TypeError,
      /concurrency/,
    );
    expect(() => new ServiceFactory('c', Calc, [3], { timeout: -5 })).to.throw(TypeError, /timeout/);
    expect(() => env.registerServiceFactory({} as unknown as ServiceDefinition)).to.throw(
      TypeError,
      /ServiceFactory/,
    );
  });
});
