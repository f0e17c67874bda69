import { expect } from 'chai';
import { bufferCount, debounceTime, scan, toArray, type OperatorFunction } from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { InvalidFunctionError } from '../../../src/errors/invalid-function-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { runMarbles } from '../../../src/testing/run-marbles.js';

interface Click {
  readonly user: string;
  readonly page: string;
}
interface View {
  readonly viewer: string;
  readonly page: string;
}

/** `<key>=<value>#<n>`: the record's key, the value, and how often its key was seen (keyed state). */
class WithKey extends MapFunction<number, string> {
  execute(n: number): string {
    const seen = this.ctx.state.value('seen', 0);
    seen.update((x) => x + 1);
    return `${String(this.ctx.getKey())}=${String(n)}#${String(seen.get())}`;
  }
}

function newEnv(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

describe('ConnectedStreams.pipe (RxJS operators over connected inputs)', () => {
  it('runs one chain per instance over the union of unkeyed inputs (virtual time)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const a = env.fromObservable<string>(hot('-a---c--|'));
      const b = env.fromObservable<string>(hot('---b---d-|'));
      const out = a
        .connect(b)
        .pipe(bufferCount<string>(2))
        .map((batch) => batch.join(''))
        .toObservable();
      expectObservable(out).toBe('---x---y-|', { x: 'ab', y: 'cd' });
    });
  });

  it('completes the chains only once every input ended, flushing what they hold (virtual time)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const a = env.fromObservable<string>(hot('-a-|'));
      const b = env.fromObservable<string>(hot('---b---c|'));
      const out = a
        .connect(b)
        .pipe(toArray<string>())
        .map((all) => all.join(''))
        .toObservable();
      expectObservable(out).toBe('--------(x|)', { x: 'abc' });
    });
  });

  it('on keyed inputs runs one chain per key fed by both inputs; outputs keep the key (virtual time)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const clicks = env.fromObservable(
        hot<Click>('-a--c---|', { a: { user: 'u1', page: 'p1' }, c: { user: 'u2', page: 'p2' } }),
      );
      const views = env.fromObservable(
        hot<View>('--b--d--|', { b: { viewer: 'u1', page: 'p3' }, d: { viewer: 'u1', page: 'p4' } }),
      );
      const out = clicks
        .connect(views)
        .keyBy([(c) => c.user, (v) => v.viewer])
        .pipe(scan((n: number) => n + 1, 0))
        .map(WithKey)
        .toObservable();
      expectObservable(out).toBe('-ab-cd--|', { a: 'u1=1#1', b: 'u1=2#2', c: 'u2=1#1', d: 'u1=3#3' });
    });
  });

  it('debounces per key across both inputs (virtual time)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const north = env.fromObservable(hot('-a--------c-----|', { a: 'n:1', c: 'n:3' }));
      const south = env.fromObservable(hot('--b-d-----------|', { b: 'n:2', d: 's:9' }));
      const out = north
        .connect(south)
        .keyBy((r) => r.split(':')[0])
        .pipe(debounceTime<string>(3))
        .toObservable();
      expectObservable(out).toBe('-----b-d-----c--|', { b: 'n:2', d: 's:9', c: 'n:3' });
    });
  });

  it('keeps each key on one chain at parallelism 3', async () => {
    const env = newEnv('connected-pipe-parallel');
    const out: string[] = [];
    const a = env.fromBatch([1, 2, 3, 4, 5, 6]).map((x) => x, { parallelism: 2 });
    const b = env.fromBatch([10, 20, 30]);
    a.connect(b)
      .keyBy((x) => x % 3)
      .pipe(toArray<number>(), { parallelism: 3 })
      .sink((all) => {
        out.push([...all].sort((x, y) => x - y).join(','));
      });
    await env.submit({ autostop: true });
    expect([...out].sort()).to.deep.equal(['1,4,10', '2,5,20', '3,6,30']);
  });

  it('takes the largest parallelism of its inputs when no options are given', () => {
    const env = newEnv('connected-pipe-default');
    const a = env.fromBatch([1]).map((x) => x, { parallelism: 2 });
    const piped = a.connect(env.fromBatch([2])).pipe(toArray());
    expect(piped.transformation.parallelism).to.equal(2);
    expect(piped.transformation.inputs).to.have.length(2);
  });

  it('rejects arguments that are not operator functions', () => {
    const env = newEnv('connected-pipe-bad');
    const c = env.fromBatch([1]).connect(env.fromBatch([2]));
    expect(() => c.pipe(...([42] as unknown as [OperatorFunction<number, number>]))).to.throw(
      InvalidFunctionError,
    );
  });
});
