import { expect } from 'chai';
import fc from 'fast-check';
import {
  changedStateFields,
  stateFields,
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
});
