import { expect } from 'chai';
import { interval, map, take } from 'rxjs';
import { BaseCoMapFunction } from '../../../src/core/api/function/co-map-function.js';
import { InnerHashJoin } from '../../../src/core/api/function/join/inner-hash-join.js';
import { BaseJoinFunction } from '../../../src/core/api/function/join-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { CoMapArityError } from '../../../src/errors/co-map-arity-error.js';
import { FutureError } from '../../../src/errors/future-error.js';
import { InvalidFunctionError } from '../../../src/errors/invalid-function-error.js';
import { JoinArityError } from '../../../src/errors/join-arity-error.js';
import { UnkeyedJoinError } from '../../../src/errors/unkeyed-join-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

function newEnv(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('ConnectedStreams', () => {
  it('map over connected streams is the union of all inputs', async () => {
    const env = newEnv('union');
    const out: number[] = [];
    env
      .fromBatch([1, 2, 3])
      .connect(env.fromBatch([10, 20, 30]))
      .map((x) => x)
      .sink((x) => {
        out.push(x);
      });
    await env.submit({ autostop: true });
    expect([...out].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 10, 20, 30]);
  });

  it('sink and print on connected streams see every input', async () => {
    const env = newEnv('union-sink');
    const out: string[] = [];
    env
      .fromBatch(['a', 'b'])
      .connect(env.fromBatch(['c']))
      .sink((x) => {
        out.push(x);
      });
    await env.submit({ autostop: true });
    expect([...out].sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('a three-input coMap sends input i to map{i}: 15 tagged records from [0..4] each', async () => {
    class Tag extends BaseCoMapFunction {
      map0(x: number): string {
        return `a${String(x)}`;
      }
      map1(x: number): string {
        return `b${String(x)}`;
      }
      map2(x: number): string {
        return `c${String(x)}`;
      }
    }
    const env = newEnv('comap3');
    const out: string[] = [];
    env
      .fromBatch(range(5))
      .connect(env.fromBatch(range(5)))
      .connect(env.fromBatch(range(5)))
      .coMap(Tag)
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out).to.have.length(15);
    for (const tag of ['a', 'b', 'c']) {
      expect(out.filter((s) => s.startsWith(tag))).to.deep.equal(range(5).map((i) => `${tag}${String(i)}`));
    }
  });

  it('coMap with an array of functions, one per input', async () => {
    const env = newEnv('comap-fns');
    const out: string[] = [];
    env
      .fromBatch([1, 2])
      .connect(env.fromBatch(['x']))
      .coMap([(n: number) => `n${String(n)}`, (s: string) => `s${s}`])
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect([...out].sort()).to.deep.equal(['n1', 'n2', 'sx']);
  });

  it('a fast and a slow input (30 ms per record) both arrive in full before the job completes', async () => {
    const env = newEnv('fast-slow');
    const out: string[] = [];
    const slow = interval(30).pipe(
      take(4),
      map((i) => (i + 1) * 10),
    );
    env
      .fromBatch([1, 2, 3])
      .connect(env.fromObservable(slow))
      .coMap([(x: number) => `fast${String(x)}`, (x: number) => `slow${String(x)}`])
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out).to.have.length(7);
    expect(out.filter((s) => s.startsWith('slow'))).to.deep.equal(['slow10', 'slow20', 'slow30', 'slow40']);
    expect(out.filter((s) => s.startsWith('fast'))).to.deep.equal(['fast1', 'fast2', 'fast3']);
  });

  it('keyed coMap at parallelism 2: equal keys from both inputs meet on one instance, getKey() in every handler', async () => {
    const seen: { key: unknown; instance: number; input: number }[] = [];
    class Where extends BaseCoMapFunction {
      map0(x: { k: string }): string {
        seen.push({ key: this.ctx.getKey(), instance: this.ctx.parallelIndex, input: 0 });
        return x.k;
      }
      map1(x: { id: string }): string {
        seen.push({ key: this.ctx.getKey(), instance: this.ctx.parallelIndex, input: 1 });
        return x.id;
      }
    }
    const env = newEnv('keyed-comap');
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    env
      .fromBatch(keys.map((k) => ({ k })))
      .connect(env.fromBatch(keys.map((id) => ({ id }))))
      .keyBy([(x: { k: string }) => x.k, (x: { id: string }) => x.id])
      .coMap(Where, { parallelism: 2 })
      .sink(() => undefined);
    await env.submit({ autostop: true });
    expect(seen).to.have.length(16);
    const instanceOf = new Map<unknown, Set<number>>();
    for (const s of seen) {
      const set = instanceOf.get(s.key) ?? new Set<number>();
      set.add(s.instance);
      instanceOf.set(s.key, set);
    }
    expect([...instanceOf.keys()].sort()).to.deep.equal(keys);
    for (const set of instanceOf.values()) expect(set.size).to.equal(1);
    expect(new Set(seen.map((s) => s.instance)).size).to.equal(2, 'both instances get keys');
  });

  it('joins ids 1..5 on both sides at parallelism 2 into five pairs and completes', async () => {
    const env = newEnv('join');
    const ids = [1, 2, 3, 4, 5];
    const pairs: [{ id: number }, { userId: number }][] = [];
    env
      .fromBatch(ids.map((id) => ({ id })))
      .keyBy((u) => u.id)
      .connect(env.fromBatch([...ids].reverse().map((userId) => ({ userId }))).keyBy((o) => o.userId))
      .join(InnerHashJoin, { parallelism: 2 })
      .sink((p) => {
        pairs.push(p);
      });
    const uuid = await env.submit({ autostop: true });
    expect(env.jobManager.getJobStatus(uuid).status).to.equal('completed');
    expect(
      pairs.map(([u, o]) => [u.id, o.userId]).sort((a, b) => (a[0] as number) - (b[0] as number)),
    ).to.deep.equal(ids.map((i) => [i, i]));
  });

  it('join with a function gets (payload, key, tag) and may return a list', async () => {
    const env = newEnv('join-fn');
    const out: string[] = [];
    env
      .fromBatch(['a1', 'b1'])
      .keyBy((s) => s[1])
      .connect(env.fromBatch(['x1']).keyBy((s) => s[1]))
      .join((payload, key, tag) => [`${String(tag)}:${String(key)}:${payload}`])
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect([...out].sort()).to.deep.equal(['0:1:a1', '0:1:b1', '1:1:x1']);
  });

  describe('build-time errors', () => {
    it('coMap with a missing handler throws CoMapArityError at the call', () => {
      class TwoHandlers extends BaseCoMapFunction {
        map0(x: number): number {
          return x;
        }
        map1(x: number): number {
          return x;
        }
      }
      const env = newEnv('e1');
      const three = env
        .fromBatch([1])
        .connect(env.fromBatch([2]))
        .connect(env.fromBatch([3]));
      // @ts-expect-error -- the compiler refuses a class without map2 too; JavaScript callers get the throw
      expect(() => three.coMap(TwoHandlers)).to.throw(CoMapArityError, /map2/);
      expect(() => three.coMap([(x: number) => x, (x: number) => x] as never)).to.throw(
        CoMapArityError,
        /3 inputs/,
      );
    });

    it('coMap with something else than a coMap class throws InvalidFunctionError', () => {
      const env = newEnv('e2');
      expect(() =>
        env
          .fromBatch([1])
          .connect(env.fromBatch([2]))
          .coMap(42 as never),
      ).to.throw(InvalidFunctionError);
    });

    it('join needs exactly two inputs', () => {
      class J extends BaseJoinFunction {
        execute(): undefined {
          return undefined;
        }
      }
      const env = newEnv('e3');
      const a = env.fromBatch([1]).keyBy((x) => x);
      const b = env.fromBatch([1]).keyBy((x) => x);
      const c = env.fromBatch([1]).keyBy((x) => x);
      expect(() => a.connect(b).connect(c).join(J)).to.throw(
        JoinArityError,
        'join needs exactly 2 inputs, got 3',
      );
    });

    it('join refuses unkeyed inputs', () => {
      const env = newEnv('e4');
      const a = env.fromBatch([1]).keyBy((x) => x);
      expect(() => a.connect(env.fromBatch([1])).join(() => undefined)).to.throw(UnkeyedJoinError, /input 1/);
      expect(() =>
        a.connect(env.fromBatch([1]).keyBy((x) => x, { strategy: 'broadcast' })).join(() => undefined),
      ).to.throw(UnkeyedJoinError);
    });

    it('fillFuture refuses a non-future and a second fill', () => {
      const env = newEnv('e5');
      const loop = env.fromFuture<number>('loop');
      const s = env.fromBatch([1]);
      expect(() => {
        s.fillFuture(env.fromBatch([2]));
      }).to.throw(FutureError, /not a future/);
      s.fillFuture(loop);
      expect(() => {
        s.map((x) => x).fillFuture(loop);
      }).to.throw(FutureError, /already filled/);
    });

    it('an unfilled future fails submit with a message naming it', async () => {
      const env = newEnv('e6');
      env
        .fromFuture<number>('pending-loop')
        .connect(env.fromBatch([1]))
        .sink(() => undefined);
      let error: unknown;
      try {
        await env.submit({ autostop: true });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(FutureError);
      expect((error as Error).message).to.contain('pending-loop');
    });
  });
});
