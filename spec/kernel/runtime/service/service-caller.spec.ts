import { expect } from 'chai';
import log from 'loglevel';
import { asyncScheduler, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ServiceNotFoundError } from '../../../../src/errors/service-not-found-error.js';
import { ServiceCaller } from '../../../../src/kernel/runtime/service/service-caller.js';
import type { ServiceLookup } from '../../../../src/kernel/runtime/service/service-lookup.js';
import { ServiceRegistry } from '../../../../src/kernel/runtime/service/service-registry.js';

const silent = log.getLogger('spec:service-caller');
silent.setLevel('silent');

function started(): ServiceRegistry {
  const r = new ServiceRegistry(
    [
      {
        name: 'calc',
        create: () => ({ process: (x: number) => x * 3, add: (a: number, b: number) => a + b }),
      },
    ],
    {
      jobId: 'j',
      envName: 'spec',
      scheduler: asyncScheduler,
      loggerFor: () => silent,
    },
  );
  r.start();
  return r;
}

describe('ServiceCaller', () => {
  it('looks a service up on the first call only (proxy caching)', async () => {
    const registry = started();
    let lookups = 0;
    const counting: ServiceLookup = {
      channel: (name) => {
        lookups++;
        return registry.channel(name);
      },
      names: () => registry.names(),
    };
    const caller = new ServiceCaller(counting);
    for (let i = 0; i < 5; i++) expect(await caller.call('calc', [i])).to.equal(i * 3);
    expect(await firstValueFrom(caller.call$({ service: 'calc', method: 'add' }, [1, 2]))).to.equal(3);
    expect(lookups).to.equal(1);
    await registry.stop();
  });

  it('calls process by default, or the named method', async () => {
    const registry = started();
    const caller = new ServiceCaller(registry);
    expect(await caller.call('calc', [4])).to.equal(12);
    expect(await caller.call({ service: 'calc', method: 'add' }, [4, 100])).to.equal(104);
    await registry.stop();
  });

  it('makes call$ cold: each subscription is one call with one reply', async () => {
    const registry = started();
    const caller = new ServiceCaller(registry);
    const call$ = caller.call$('calc', [2]);
    expect(await lastValueFrom(call$.pipe(toArray()))).to.deep.equal([6]);
    expect(await lastValueFrom(call$.pipe(toArray()))).to.deep.equal([6]);
    expect(registry.stats()[0]!.calls).to.equal(2);
    await registry.stop();
  });

  it('rejects unknown names with ServiceNotFoundError, and bad targets with TypeError', async () => {
    const caller = new ServiceCaller(undefined);
    expect(await caller.call('nope', []).catch((e: unknown) => e)).to.be.instanceOf(ServiceNotFoundError);
    expect(await firstValueFrom(caller.call$('nope', [])).catch((e: unknown) => e)).to.be.instanceOf(
      ServiceNotFoundError,
    );
    const registry = started();
    const c = new ServiceCaller(registry);
    expect(await c.call({ service: '' }, []).catch((e: unknown) => e)).to.be.instanceOf(TypeError);
    expect(await c.call({ service: 'calc', timeout: -1 }, []).catch((e: unknown) => e)).to.be.instanceOf(
      TypeError,
    );
    expect(
      await firstValueFrom(c.call$({ service: 'calc', method: '' }, [])).catch((e: unknown) => e),
    ).to.be.instanceOf(TypeError);
    await registry.stop();
  });
});
