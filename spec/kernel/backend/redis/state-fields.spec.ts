import { expect } from 'chai';
import fc from 'fast-check';
import {
  changedStateFields,
  holdsTimers,
  stateFields,
  timerFieldsOf,
  timerIndexChanges,
  type StateSource,
} from '../../../../src/kernel/backend/redis/state-fields.js';
import { KeyedState } from '../../../../src/kernel/runtime/state/keyed-state.js';
import type { CallContext } from '../../../../src/kernel/runtime/step.js';

type Op =
  | { kind: 'value'; key: string | number; n: number }
  | { kind: 'clear'; key: string | number }
  | { kind: 'list'; key: string | number; n: number }
  | { kind: 'map'; key: string | number; n: number }
  | { kind: 'read'; key: string | number };

const key = fc.oneof(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 5 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), key, n: fc.integer() }),
  fc.record({ kind: fc.constant('clear' as const), key }),
  fc.record({ kind: fc.constant('list' as const), key, n: fc.integer() }),
  fc.record({ kind: fc.constant('map' as const), key, n: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('read' as const), key }),
);

function apply(state: KeyedState, call: CallContext, o: Op): void {
  call.key = o.key;
  switch (o.kind) {
    case 'value':
      state.value<number>('v').set(o.n);
      break;
    case 'clear':
      state.value('v').clear();
      state.list('l').clear();
      state.map('m').clear();
      break;
    case 'list':
      state.list<number>('l').add(o.n);
      break;
    case 'map':
      state.map<number, number>('m').put(o.n, (state.map<number, number>('m').get(o.n) ?? 0) + 1);
      break;
    case 'read':
      state.value('v').get();
      break;
  }
}

describe('changedStateFields (the Redis backend commits only touched keys)', () => {
  it('applied batch after batch, the changed fields rebuild exactly the fields of the whole state (plain model)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 12 }), { maxLength: 8 }), (batches) => {
        const call: CallContext = { key: undefined, input: 0, timestamp: undefined };
        const state = new KeyedState({ call, keyed: true, operator: 'op', maxParallelism: 8 });
        state.trackTouched();
        const source: StateSource = {
          operatorName: 'op',
          functionSnapshot: () => undefined,
          takeTouched: () => state.takeTouched(),
        };
        const committed = new Map<string, string>();
        const last = new Map<string, string>();
        for (const batch of batches) {
          for (const o of batch) apply(state, call, o);
          const changes = changedStateFields([source], last);
          for (const [field, value] of changes) {
            if (value === null) committed.delete(field);
            else committed.set(field, value);
          }
          const whole = stateFields(new Map([['op', { keyed: state.snapshot() }]]));
          expect(committed).to.deep.equal(whole);
          // Only keys the batch touched are written: never more fields than operations.
          expect(changes.length).to.be.at.most(batch.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('writes a function-state field only when its JSON changed', () => {
    let fields: unknown = { n: 1 };
    const source: StateSource = {
      operatorName: 'f',
      functionSnapshot: () => fields,
      takeTouched: () => [],
    };
    const last = new Map<string, string>();
    expect(changedStateFields([source], last)).to.deep.equal([['["f"]', '{"n":1}']]);
    expect(changedStateFields([source], last)).to.deep.equal([]);
    fields = undefined;
    expect(changedStateFields([source], last)).to.deep.equal([['["f"]', null]]);
  });

  it('a keyed state nobody tracks logs nothing (the in-process path is unchanged)', () => {
    const call: CallContext = { key: 'a', input: 0, timestamp: undefined };
    const state = new KeyedState({ call, keyed: true, operator: 'op', maxParallelism: 8 });
    state.value<number>('v').set(1);
    expect(state.takeTouched()).to.deep.equal([]);
  });

  it('property: the timer index kept by timerIndexChanges is the set of fields whose value holds timers', () => {
    const timers = { '\u0000timers/event': [5] };
    const value = fc.constantFrom<string | null>(
      null,
      JSON.stringify({ count: 1 }),
      JSON.stringify(timers),
      JSON.stringify({ count: 2, '\u0000timers/processing': [7, 9] }),
      // A user value that holds the marker is no timer.
      JSON.stringify({ note: '\u0000timers/event' }),
    );
    const change = fc.tuple(fc.constantFrom('["p",1,"a"]', '["p",2,"b"]', '["q",1,"a"]'), value);
    fc.assert(
      fc.property(fc.array(fc.array(change, { maxLength: 4 }), { maxLength: 8 }), (batches) => {
        const indexed = new Set<string>();
        const log = new Set<string>();
        const state = new Map<string, string>();
        for (const batch of batches) {
          for (const [field, holds] of timerIndexChanges(batch, indexed)) {
            // Only real changes are sent: an add of a field not indexed, a removal of one indexed.
            expect(log.has(field), `${field} indexed before`).to.equal(!holds);
            if (holds) log.add(field);
            else log.delete(field);
          }
          for (const [field, v] of batch) {
            if (v === null) state.delete(field);
            else state.set(field, v);
          }
          expect([...log].sort()).to.deep.equal([...timerFieldsOf(state)].sort());
          expect([...indexed].sort()).to.deep.equal([...log].sort());
        }
      }),
      { numRuns: 200 },
    );
  });

  it("holdsTimers reads the names of a key's values, not its values", () => {
    expect(holdsTimers(JSON.stringify({ '\u0000timers/event': [1] }))).to.equal(true);
    expect(holdsTimers(JSON.stringify({ v: '\u0000timers/event' }))).to.equal(false);
    expect(holdsTimers(JSON.stringify({ v: 1 }))).to.equal(false);
    expect(holdsTimers(null)).to.equal(false);
  });
});
