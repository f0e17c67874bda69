import { expect } from 'chai';
import fc from 'fast-check';
import { DeadlineQueue } from '../../../../src/kernel/runtime/service/deadline-queue.js';
import { PendingCall } from '../../../../src/kernel/runtime/service/pending-call.js';

function call(id: number): PendingCall {
  const noop = (): void => undefined;
  return new PendingCall(id, 'process', [], 1000, noop, noop, id, -1);
}

describe('DeadlineQueue', () => {
  it('property: its head is always the oldest unsettled call pushed, against a plain list', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constant('push'), fc.constant('push'), fc.constant('shift'), fc.nat({ max: 5_000 })),
          {
            minLength: 2_000,
            maxLength: 6_000,
          },
        ),
        (ops) => {
          const queue = new DeadlineQueue();
          const model: PendingCall[] = [];
          let next = 0;
          for (const op of ops) {
            if (op === 'push') {
              const c = call(next++);
              queue.push(c);
              model.push(c);
            } else if (op === 'shift') {
              const head = queue.head();
              if (head !== undefined) {
                queue.shift();
                model.splice(model.indexOf(head), 1);
              }
            } else if (model.length > 0) {
              (model[op % model.length] as PendingCall).settled = true; // settles any waiting call
            }
            const expected = model.find((c) => !c.settled);
            expect(queue.head()).to.equal(expected);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('keeps no reference to calls it dropped after compacting', () => {
    const queue = new DeadlineQueue();
    const calls = Array.from({ length: 3_000 }, (_, i) => call(i));
    for (const c of calls) queue.push(c);
    for (const c of calls.slice(0, 2_500)) c.settled = true;
    expect(queue.head()).to.equal(calls[2_500]);
    const held = (queue as unknown as { items: (PendingCall | undefined)[] }).items.filter(
      (c) => c !== undefined,
    );
    expect(held).to.deep.equal(calls.slice(2_500));
  });
});
