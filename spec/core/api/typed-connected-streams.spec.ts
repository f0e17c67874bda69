import { expect } from 'chai';
import { of } from 'rxjs';
import { BaseCoMapFunction } from '../../../src/core/api/function/co-map-function.js';
import { InnerHashJoin } from '../../../src/core/api/function/join/inner-hash-join.js';
import { WindowedJoin } from '../../../src/core/api/function/join/windowed-join.js';
import { BaseJoinFunction } from '../../../src/core/api/function/join-function.js';
import type { DataStream } from '../../../src/core/api/data-stream.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { sameType } from '../../helpers/same-type.js';

// Each `sameType<…>(true)` and `@ts-expect-error` below is checked by `npm run typecheck`: these specs prove the
// output types at compile time, and the runs prove the values behind them.

interface User {
  readonly id: number;
  readonly name: string;
}
interface Order {
  readonly userId: number;
  readonly item: string;
}

const users: User[] = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
];
const orders: Order[] = [
  { userId: 2, item: 'lamp' },
  { userId: 1, item: 'book' },
  { userId: 3, item: 'nobody' },
];

function newEnv(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

function connected(env: LocalEnvironment) {
  return env
    .fromBatch(users)
    .keyBy((u) => u.id)
    .connect(env.fromBatch(orders).keyBy((o) => o.userId));
}

describe('typed joins and coMaps', () => {
  it('join(InnerHashJoin) yields DataStream<[L, R]> of the two inputs', async () => {
    const env = newEnv('typed-pairs');
    const pairs = connected(env).join(InnerHashJoin, { parallelism: 2 });
    sameType<typeof pairs, DataStream<[User, Order]>>(true);
    const out: string[] = [];
    pairs.sink(([u, o]) => {
      out.push(`${u.name}:${o.item}`);
    });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal(['Ada:book', 'Grace:lamp']);
  });

  it("join(InnerHashJoin, { args: [combine] }) yields the combiner's type; its parameters need no annotation", async () => {
    const env = newEnv('typed-combine');
    const joined = connected(env).join(InnerHashJoin, {
      args: [(u, o, key) => ({ who: u.name, what: o.item, key })],
    });
    sameType<typeof joined, DataStream<{ who: string; what: string; key: unknown }>>(true);
    const out: string[] = [];
    joined.sink((r) => {
      out.push(`${r.who}:${r.what}:${String(r.key)}`);
    });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal(['Ada:book:1', 'Grace:lamp:2']);
  });

  it('WindowedJoin is typed the same way, after its window argument', async () => {
    const env = newEnv('typed-windowed');
    const pairs = connected(env).join(WindowedJoin, { args: [60_000] });
    const lines = connected(env).join(WindowedJoin, { args: [60_000, (u, o) => u.id * 100 + o.item.length] });
    sameType<typeof pairs, DataStream<[User, Order]>>(true);
    sameType<typeof lines, DataStream<number>>(true);
    const outPairs: string[] = [];
    const outLines: number[] = [];
    pairs.sink(([u, o]) => {
      outPairs.push(`${u.name}:${o.item}`);
    });
    lines.sink((n) => {
      outLines.push(n);
    });
    await env.submit({ autostop: true });
    expect(outPairs.sort()).to.deep.equal(['Ada:book', 'Grace:lamp']);
    expect(outLines.sort((a, b) => a - b)).to.deep.equal([104, 204]);
  });

  it('the compiler refuses a combiner or arguments that do not fit the inputs', () => {
    const env = newEnv('typed-refused');
    const both = connected(env);
    // @ts-expect-error -- a User has no field `item`
    expect(() => both.join(InnerHashJoin, { args: [(u, o) => `${u.item}${o.item}`] })).to.not.throw();
    // @ts-expect-error -- WindowedJoin's first argument is its window in ms (a string fails only at submit)
    expect(() => both.join(WindowedJoin, { args: ['one minute'] })).to.not.throw();
    // @ts-expect-error -- WindowedJoin cannot be built without its window
    expect(() => both.join(WindowedJoin)).to.not.throw();
  });

  it('a user join class gives its own output type; a join function gives what it returns', async () => {
    class Greeting extends BaseJoinFunction<User | Order, string> {
      private readonly names = new Map<unknown, string>();
      private readonly waiting = new Map<unknown, number>();
      execute(payload: User | Order, key: unknown, tag: number): string | string[] | undefined {
        if (tag === 0) {
          const name = (payload as User).name;
          this.names.set(key, name);
          return Array.from({ length: this.waiting.get(key) ?? 0 }, () => `hello ${name}`);
        }
        const name = this.names.get(key);
        if (name !== undefined) return `hello ${name}`;
        this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
        return undefined;
      }
    }
    const env = newEnv('typed-user-join');
    const greetings = connected(env).join(Greeting);
    const tags = connected(env).join((payload, key, tag) => ({ tag, key, payload }));
    sameType<typeof greetings, DataStream<string>>(true);
    sameType<typeof tags, DataStream<{ tag: number; key: unknown; payload: User | Order }>>(true);
    const out: string[] = [];
    let tagged = 0;
    greetings.sink((g) => {
      out.push(g);
    });
    tags.sink((t) => {
      tagged += t.tag;
    });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal(['hello Ada', 'hello Grace']);
    expect(tagged).to.equal(orders.length);
  });

  it("coMap with a class yields the union of its handlers' results (Promise and Observable unwrapped)", async () => {
    class Describe extends BaseCoMapFunction {
      map0(u: User): string {
        return u.name;
      }
      map1(o: Order): Promise<number> {
        return Promise.resolve(o.userId);
      }
    }
    class Spread extends BaseCoMapFunction {
      map0(u: User) {
        return of(u.id, u.id);
      }
      map1(o: Order): boolean | undefined {
        return o.userId === 3 ? undefined : true;
      }
    }
    const env = newEnv('typed-comap');
    const described = env.fromBatch(users).connect(env.fromBatch(orders)).coMap(Describe);
    const spread = env.fromBatch(users).connect(env.fromBatch(orders)).coMap(Spread, { parallelism: 2 });
    sameType<typeof described, DataStream<string | number>>(true);
    sameType<typeof spread, DataStream<number | boolean>>(true);
    const out: (string | number)[] = [];
    const flags: (number | boolean)[] = [];
    described.sink((x) => {
      out.push(x);
    });
    spread.sink((x) => {
      flags.push(x);
    });
    await env.submit({ autostop: true });
    expect(out.map(String).sort()).to.deep.equal(['1', '2', '3', 'Ada', 'Grace']);
    expect(flags.map(String).sort()).to.deep.equal(['1', '1', '2', '2', 'true', 'true']);
  });

  it('coMap with handler functions yields the union of their results, each handler typed by its input', async () => {
    const env = newEnv('typed-comap-fns');
    const tagged = env
      .fromBatch(users)
      .connect(env.fromBatch(orders))
      .coMap([(u) => u.name.length, (o) => Promise.resolve(o.item)]);
    sameType<typeof tagged, DataStream<number | string>>(true);
    const out: (number | string)[] = [];
    tagged.sink((x) => {
      out.push(x);
    });
    await env.submit({ autostop: true });
    expect(out.map(String).sort()).to.deep.equal(['3', '5', 'book', 'lamp', 'nobody']);
  });

  it('the compiler refuses a coMap class whose handler does not take its input, or that lacks one', () => {
    class WrongInput extends BaseCoMapFunction {
      map0(u: User): string {
        return u.name;
      }
      map1(n: number): number {
        return n;
      }
    }
    class OneHandler extends BaseCoMapFunction {
      map0(u: User): string {
        return u.name;
      }
    }
    const env = newEnv('typed-comap-refused');
    const both = env.fromBatch(users).connect(env.fromBatch(orders));
    // @ts-expect-error -- map1 takes a number, input 1 carries Orders
    expect(() => both.coMap(WrongInput)).to.not.throw();
    // @ts-expect-error -- input 1 has no handler (the call throws CoMapArityError for JavaScript callers)
    expect(() => both.coMap(OneHandler)).to.throw(/map1/);
  });
});
