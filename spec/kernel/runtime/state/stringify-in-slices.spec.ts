import { expect } from 'chai';
import fc from 'fast-check';
import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { stringifyInSlices } from '../../../../src/kernel/runtime/state/stringify-in-slices.js';

async function text(value: unknown, leafDepth?: number): Promise<string> {
  const pieces: string[] = [];
  await stringifyInSlices(value, asyncScheduler, (p) => pieces.push(p), leafDepth);
  return pieces.join('');
}

describe('stringifyInSlices', () => {
  it('gives exactly JSON.stringify for any JSON-like value, at any leaf depth (property)', async () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.constant(undefined),
        fc.boolean(),
        fc.double(),
        fc.string(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(value, fc.integer({ min: 0, max: 7 }), async (v, depth) => {
        expect(await text({ v, dates: new Date(0) }, depth)).to.equal(
          JSON.stringify({ v, dates: new Date(0) }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('writes holes and undefined items of arrays as null and leaves undefined fields out', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const v = { a: [1, , undefined, 3], b: undefined, c: { d: undefined, e: 1 } };
    expect(await text(v)).to.equal(JSON.stringify(v));
  });

  it('yields to the scheduler between slices: a large value takes several scheduled steps', async () => {
    const big = {
      groups: Array.from({ length: 400 }, (_, g) => ({
        keys: Array.from({ length: 2_000 }, (_, i) => `${g}-${i}`),
      })),
    };
    let scheduled = 0;
    const counting = {
      now: () => asyncScheduler.now(),
      schedule: (work: () => void) => {
        scheduled++;
        return asyncScheduler.schedule(work);
      },
    } as unknown as typeof asyncScheduler;
    const pieces: string[] = [];
    await stringifyInSlices(big, counting, (p) => pieces.push(p), 3);
    expect(pieces.join('')).to.equal(JSON.stringify(big));
    expect(scheduled).to.be.greaterThan(0);
  });

  it('runs in virtual time under a TestScheduler', async () => {
    const scheduler = new TestScheduler(() => undefined);
    const pieces: string[] = [];
    const done = stringifyInSlices({ a: [1, 2, { b: 'c' }] }, scheduler, (p) => pieces.push(p));
    scheduler.flush();
    await done;
    expect(pieces.join('')).to.equal('{"a":[1,2,{"b":"c"}]}');
  });
});
