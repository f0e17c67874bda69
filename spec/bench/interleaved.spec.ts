import { expect } from 'chai';
import { interleaved, median, pairedRatio } from './interleaved.js';

describe('interleaved bench rounds', () => {
  it('runs every case once per round, rotating which goes first', async () => {
    const order: string[] = [];
    const times = await interleaved(
      ['a', 'b', 'c'].map((id, i) => ({
        id,
        run: () => {
          order.push(id);
          return i + 1;
        },
      })),
      3,
    );
    expect(order).to.deep.equal(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(times.get('b')).to.deep.equal([2, 2, 2]);
  });

  it('takes medians, and ratios per unit round by round', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).to.deep.equal([2, 2.5, Number.NaN]);
    const times = new Map([
      ['with', [30, 90, 40]],
      ['base', [10, 30, 40]],
    ]);
    // per round, per unit (with: 10 units, base: 5 units): 1.5, 1.5, 0.5
    expect(pairedRatio(times, { id: 'with', units: 10 }, { id: 'base', units: 5 })).to.equal(1.5);
  });
});
