import { expect } from 'chai';
import log from 'loglevel';
import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ServiceNotFoundError } from '../../../../src/errors/service-not-found-error.js';
import { ServiceSetupError } from '../../../../src/errors/service-setup-error.js';
import { ServiceStoppedError } from '../../../../src/errors/service-stopped-error.js';
import type { ServiceContext } from '../../../../src/kernel/runtime/service/service-context.js';
import type { ServiceDefinition } from '../../../../src/kernel/runtime/service/service-definition.js';
import { ServiceRegistry } from '../../../../src/kernel/runtime/service/service-registry.js';

const silent = log.getLogger('spec:service-registry');
silent.setLevel('silent');

function registry(definitions: ServiceDefinition[], parent?: ServiceRegistry): ServiceRegistry {
  return new ServiceRegistry(definitions, {
    jobId: 'job-1',
    envName: 'spec',
    scheduler: asyncScheduler,
    loggerFor: () => silent,
    parent,
  });
}

describe('ServiceRegistry', () => {
  it('runs setup() after construction, start(), then stop() and cleanup(), each in order', async () => {
    const events: string[] = [];
    class Hooked {
      constructor() {
        events.push('construct');
      }
      setup() {
        events.push('setup');
      }
      start() {
        events.push('start');
      }
      stop() {
        events.push('stop');
      }
      cleanup() {
        events.push('cleanup');
      }
    }
    const r = registry([{ name: 'h', create: () => new Hooked() }]);
    r.start();
    expect(events).to.deep.equal(['construct', 'setup', 'start']);
    await r.stop();
    expect(events).to.deep.equal(['construct', 'setup', 'start', 'stop', 'cleanup']);
  });

  it('makes calls wait for an async setup() and start(), and awaits async stop() before cleanup()', async () => {
    const events: string[] = [];
    let finishSetup!: () => void;
    const service = {
      setup: () =>
        new Promise<void>((resolve) => {
          finishSetup = resolve;
        }).then(() => events.push('setup done')),
      start: () => Promise.resolve().then(() => events.push('start done')),
      process: (x: number) => {
        events.push(`process ${x}`);
        return x;
      },
      stop: () => Promise.resolve().then(() => events.push('stop done')),
      cleanup: () => events.push('cleanup'),
    };
    const r = registry([{ name: 's', create: () => service }]);
    r.start();
    const reply = r.caller.call('s', [7]);
    await Promise.resolve();
    expect(events).to.deep.equal([]);
    finishSetup();
    expect(await reply).to.equal(7);
    expect(events).to.deep.equal(['setup done', 'start done', 'process 7']);
    await r.stop();
    expect(events.slice(3)).to.deep.equal(['stop done', 'cleanup']);
  });

  it('logs failing hooks instead of throwing; a service whose setup() failed refuses calls and skips start() and stop()', async () => {
    const errors: unknown[] = [];
    const events: string[] = [];
    const logger = log.getLogger('spec:service-registry:errors');
    logger.methodFactory =
      () =>
      (...args: unknown[]) =>
        errors.push(args);
    logger.setLevel('error');
    const broken = new Error('setup broke');
    const r = new ServiceRegistry(
      [
        {
          name: 'f',
          create: () => ({
            setup: () => {
              throw broken;
            },
            start: () => events.push('start f'),
            stop: () => events.push('stop f'),
            process: () => 'ok',
            cleanup: () => Promise.reject(new Error('cleanup broke')),
          }),
        },
        {
          name: 'g',
          create: () => ({
            start: () => Promise.reject(new Error('start broke')),
            process: () => 'g ok',
          }),
        },
      ],
      { jobId: 'j', envName: 'spec', scheduler: asyncScheduler, loggerFor: () => logger },
    );
    r.start();
    const refused = await r.caller.call('f', []).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(ServiceSetupError);
    expect((refused as ServiceSetupError).cause).to.equal(broken);
    expect((refused as Error).message).to.contain('setup() failed (setup broke)');
    expect(await r.caller.call('g', [])).to.equal('g ok');
    await r.stop();
    expect(events).to.deep.equal([]);
    expect(JSON.stringify(errors.map((e) => String((e as unknown[])[0]))))
      .to.contain('setup() failed')
      .and.contain('start() failed')
      .and.contain('cleanup() failed');
  });

  it('bounds every hook with the hook timeout on the scheduler: hooks that never settle cannot hang the end', async () => {
    const scheduler = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    const events: string[] = [];
    const logged: string[] = [];
    const logger = log.getLogger('spec:service-registry:hooks');
    logger.methodFactory =
      () =>
      (...args: unknown[]) =>
        logged.push(args.map(String).join(' '));
    logger.setLevel('error');
    const never = (name: string) => () => {
      events.push(`${name} at ${String(scheduler.now())}`);
      return new Promise(() => undefined);
    };
    const r = new ServiceRegistry(
      [
        {
          name: 'a',
          options: { hookTimeoutMs: 30 },
          create: () => ({
            start: never('start a'),
            stop: never('stop a'),
            cleanup: never('cleanup a'),
            process: () => `a at ${String(scheduler.now())}`,
          }),
        },
        {
          name: 'b',
          create: () => ({
            setup: never('setup b'),
            stop: never('stop b'),
            process: () => `b at ${String(scheduler.now())}`,
          }),
        },
      ],
      { jobId: 'j', envName: 'spec', scheduler, loggerFor: () => logger, hookTimeoutMs: 100 },
    );
    r.start();
    const early = ['a', 'b'].map((name) => r.caller.call(name, []));
    scheduler.flush();
    expect(await Promise.all(early)).to.deep.equal(['a at 30', 'b at 100']);
    let ended = false;
    const ending = r.stop().then(() => {
      ended = true;
    });
    await Promise.resolve();
    expect(ended).to.equal(false);
    scheduler.flush();
    await ending;
    expect(events).to.deep.equal([
      'setup b at 0',
      'start a at 0',
      'stop b at 100',
      'stop a at 200',
      'cleanup a at 230',
    ]);
    expect(logged.join('\n'))
      .to.contain('Service b: setup() did not settle within 100 ms')
      .and.contain('Service a: start() did not settle within 30 ms');
  });

  it('refuses a hook timeout that is not a positive number of milliseconds', () => {
    const r = new ServiceRegistry([{ name: 'x', create: () => ({}) }], {
      jobId: 'j',
      envName: 'spec',
      scheduler: asyncScheduler,
      loggerFor: () => silent,
      hookTimeoutMs: -1,
    });
    expect(() => {
      r.start();
    }).to.throw(TypeError, /serviceHookTimeoutMs must be a finite number of milliseconds > 0, got/);
    expect(() => {
      registry([{ name: 'y', options: { hookTimeoutMs: 0 }, create: () => ({}) }]).start();
    }).to.throw(TypeError, /hookTimeoutMs/);
  });

  it('gives each service a ctx before setup(), through which it calls other services', async () => {
    let seen: ServiceContext | undefined;
    class Doubler {
      process(x: number) {
        return x * 2;
      }
    }
    class Uses {
      ctx!: ServiceContext;
      setup() {
        seen = this.ctx;
      }
      process(x: number) {
        return this.ctx.callService<number>('doubler', x).then((y) => y + 1);
      }
    }
    const r = registry([
      { name: 'doubler', create: () => new Doubler() },
      {
        name: 'uses',
        create: (ctx) => {
          const u = new Uses();
          u.ctx = ctx;
          return u;
        },
      },
    ]);
    r.start();
    expect(seen?.name).to.equal('uses');
    expect(seen?.jobId).to.equal('job-1');
    expect(await r.caller.call('uses', [5])).to.equal(11);
    await r.stop();
  });

  it('gives a method the AbortSignal of its call through ctx.signal, aborted when the caller times out', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    let context: ServiceContext | undefined;
    const r = registry([
      {
        name: 'hang',
        create: (ctx) => {
          context = ctx;
          return {
            process: () => {
              signals.push(ctx.signal);
              return new Promise(() => undefined);
            },
          };
        },
      },
    ]);
    r.start();
    const error = await r.caller.call({ service: 'hang', timeout: 5 }, []).catch((e: unknown) => e);
    expect(signals).to.have.length(1);
    expect(signals[0]?.aborted).to.equal(true);
    expect(signals[0]?.reason).to.equal(error);
    expect(context?.signal).to.equal(undefined);
    await r.stop();
  });

  it('wraps a throwing constructor in ServiceSetupError', () => {
    const r = registry([
      {
        name: 'broken',
        create: () => {
          throw new Error('no config');
        },
      },
    ]);
    expect(() => {
      r.start();
    }).to.throw(ServiceSetupError, /broken could not be constructed: no config/);
  });

  it('answers calls still waiting at stop() with ServiceStoppedError', async () => {
    const r = registry([{ name: 'slow', create: () => ({ process: () => new Promise(() => undefined) }) }]);
    r.start();
    const waiting = r.caller.call('slow', []).catch((e: unknown) => e);
    await r.stop();
    expect(await waiting).to.be.instanceOf(ServiceStoppedError);
  });

  it('names the known services when a name is unknown, and falls back to a parent registry', async () => {
    const parent = registry([{ name: 'p', create: () => ({ process: () => 'from parent' }) }]);
    parent.start();
    const child = registry([{ name: 'c', create: () => ({ process: () => 'own' }) }], parent);
    child.start();
    expect(await child.caller.call('p', [])).to.equal('from parent');
    expect(child.names()).to.deep.equal(['c', 'p']);
    const e = await child.caller.call('x', []).catch((err: unknown) => err);
    expect(e).to.be.instanceOf(ServiceNotFoundError);
    expect((e as Error).message)
      .to.contain("'x'")
      .and.contain('c, p');
    await child.stop();
    await parent.stop();
  });

  it('reports per-service stats', async () => {
    const r = registry([{ name: 'a', create: () => ({ process: (x: number) => x }) }]);
    r.start();
    await r.caller.call('a', [1]);
    await r.caller.call('a', [2]);
    const [stats] = r.stats();
    expect(stats).to.include({ service: 'a', calls: 2, replies: 2, errors: 0, timeouts: 0, pending: 0 });
    expect(stats!.latencyMs.p99).to.be.at.least(stats!.latencyMs.p50);
    await r.stop();
  });
});
