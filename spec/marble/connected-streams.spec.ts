import { Subject } from 'rxjs';
import { BaseCoMapFunction } from '../../src/core/api/function/co-map-function.js';
import { BaseJoinFunction } from '../../src/core/api/function/join-function.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

class Tag extends BaseCoMapFunction {
  map0(t: number): string {
    return `t${t}`;
  }
  map1(h: number): string {
    return `h${h}`;
  }
}

interface User {
  readonly id: number;
  readonly name: string;
}
interface Order {
  readonly user: number;
  readonly item: string;
}

/** Remembers users; emits `name:item` for every order whose user is known. */
class Enrich extends BaseJoinFunction<User | Order, string> {
  private readonly names = new Map<unknown, string>();
  private readonly waiting = new Map<unknown, string[]>();
  execute(payload: User | Order, key: unknown, tag: number): string[] | undefined {
    if (tag === 0) {
      const user = payload as User;
      this.names.set(key, user.name);
      const pending = this.waiting.get(key) ?? [];
      this.waiting.delete(key);
      return pending.map((item) => `${user.name}:${item}`);
    }
    const order = payload as Order;
    const name = this.names.get(key);
    if (name !== undefined) return [`${name}:${order.item}`];
    this.waiting.set(key, [...(this.waiting.get(key) ?? []), order.item]);
    return undefined;
  }
}

describe('marble: connect, coMap and join', () => {
  it('connect → map: the union of both inputs, each record on its own frame', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const a = env.fromObservable<string>(hot('-a---c--|'));
      const b = env.fromObservable<string>(hot('---b---d-|'));
      const out = new Subject<string>();
      expectObservable(out).toBe('-a-b-c-d-|');
      a.connect(b)
        .map((x) => x)
        .sink(out);
      void env.submit();
    });
  });

  it('coMap with a class: input i goes to map{i}; the stream ends when both inputs ended', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const temps = env.fromObservable(hot('-a----|', { a: 20 }));
      const hums = env.fromObservable(hot('--b-c---|', { b: 50, c: 55 }));
      const out = new Subject<string>();
      expectObservable(out).toBe('-ab-c---|', { a: 't20', b: 'h50', c: 'h55' });
      temps.connect(hums).coMap(Tag).sink(out);
      void env.submit();
    });
  });

  it('coMap with a list of functions', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const xs = env.fromObservable(cold('-a|', { a: 1 }));
      const ys = env.fromObservable(cold('--b|', { b: 'y' }));
      const out = new Subject<string>();
      expectObservable(out).toBe('-ab|', { a: 'n1', b: 'sy' });
      xs.connect(ys)
        .coMap([(n: number) => `n${n}`, (s: string) => `s${s}`])
        .sink(out);
      void env.submit();
    });
  });

  it('join of two keyed inputs: a record meets the state of its key on the frame it arrives', async () => {
    const users = { u: { id: 1, name: 'ann' }, v: { id: 2, name: 'bob' } };
    const orders = { o: { user: 1, item: 'tea' }, p: { user: 2, item: 'cake' }, q: { user: 1, item: 'jam' } };
    await runMarbles(({ env, hot, expectObservable }) => {
      const u = env.fromObservable(hot<User>('-u-----v---|', users));
      const o = env.fromObservable(hot<Order>('---o-p---q-|', orders));
      const out = new Subject<string>();
      expectObservable(out).toBe('---a---b-c-|', { a: 'ann:tea', b: 'bob:cake', c: 'ann:jam' });
      u.connect(o)
        .keyBy([(x: User) => x.id, (x: Order) => x.user])
        .join(Enrich, { parallelism: 2 })
        .sink(out);
      void env.submit();
    });
  });
});
