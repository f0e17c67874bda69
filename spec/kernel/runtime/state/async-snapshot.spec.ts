import { expect } from 'chai';
import fc from 'fast-check';
import { Subscription, type SchedulerLike, type SchedulerAction } from 'rxjs';
import { KeyedStateStore } from '../../../../src/kernel/runtime/state/keyed-state-store.js';
import { KeyedState } from '../../../../src/kernel/runtime/state/keyed-state.js';
import type { CallContext } from '../../../../src/kernel/runtime/step.js';

/** A scheduler whose actions run only when the test steps them. */
class SteppedScheduler implements SchedulerLike {
  readonly queue: (() => void)[] = [];
  now(): number {
    return 0;
  }
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, _delay?: number, state?: T): Subscription {
    this.queue.push(() => {
      work.call(undefined as unknown as SchedulerAction<T>, state);
    });
    return new Subscription();
  }
  step(): boolean {
    const next = this.queue.shift();
    next?.();
    return next !== undefined;
  }
}

type Op =
  | { kind: 'set'; key: number; value: number }
  | { kind: 'clear'; key: number }
  | { kind: 'add'; key: number; value: number }
  | { kind: 'put'; key: number; entry: string; value: number }
  | { kind: 'mutate'; key: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 40 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('clear' as const), key: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 40 }), value: fc.integer() }),
  fc.record({
    kind: fc.constant('put' as const),
    key: fc.integer({ min: 0, max: 40 }),
    entry: fc.constantFrom('a', 'b'),
    value: fc.integer(),
  }),
  fc.record({ kind: fc.constant('mutate' as const), key: fc.integer({ min: 0, max: 40 }) }),
);

function apply(state: KeyedState, call: CallContext, o: Op): void {
  call.key = o.key;
  switch (o.kind) {
    case 'set':
      state.value<{ v: number }>('value').set({ v: o.value });
      break;
    case 'clear':
      state.value('value').clear();
      state.list('list').clear();
      break;
    case 'add':
      state.list<number>('list').add(o.value);
      break;
    case 'put':
      state.map<string, number>('map').put(o.entry, o.value);
      break;
    case 'mutate': {
      // Changing a stored object in place (values are kept as given) must not change a snapshot being copied.
      const current = state.value<{ v: number } | undefined>('value').get();
      if (current !== undefined) current.v++;
      const list = state.list<number>('list').get() as number[];
      list.push(-1);
      break;
    }
  }
}

/** The default column layout, or a tiny one that preallocates every table (its columns overflow often). */
const layoutArb = fc.option(
  fc.record({ presizeFrom: fc.integer({ min: 0, max: 2 }), largeSlots: fc.integer({ min: 1, max: 6 }) }),
  { nil: undefined },
);

describe('asynchronous (copy-on-write) snapshots of keyed state', () => {
  it('equal the state at the moment they began, whatever changes while they are copied, whatever their column layout (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 80 }),
        fc.array(fc.array(op, { maxLength: 6 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        layoutArb,
        async (before, during, chunk, snapshotLayout) => {
          const call: CallContext = { key: undefined, input: 0, timestamp: undefined };
          const init = { call, keyed: true, operator: 'op_0', maxParallelism: 8, snapshotLayout };
          const state = new KeyedState(init);
          for (const o of before) apply(state, call, o);
          const store = (state as unknown as { store: KeyedStateStore }).store;
          const expected = JSON.stringify(sortGroups(store.snapshot()));
          const scheduler = new SteppedScheduler();
          const pending = store.snapshotAsync(scheduler, chunk);
          if (pending instanceof Promise) {
            for (const batch of during) {
              for (const o of batch) apply(state, call, o);
              scheduler.step();
            }
            while (scheduler.step()) {
              /* finish the copy */
            }
          }
          const result = await pending;
          expect(JSON.stringify(sortGroups(result))).to.equal(expected);
          expect(store.copying).to.equal(undefined);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function sortGroups(s: ReturnType<KeyedStateStore['snapshot']>): unknown {
  if (s === undefined) return undefined;
  const rows: string[] = [];
  for (const [group, states] of Object.entries(s)) {
    for (const [name, { keys, values }] of Object.entries(states)) {
      keys.forEach((k, i) => rows.push(JSON.stringify([group, name, k, values[i]])));
    }
  }
  return rows.sort();
}
