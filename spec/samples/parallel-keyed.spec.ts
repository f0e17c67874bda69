import { expect } from 'chai';
import { main } from '../../samples/parallel-keyed.js';

describe('samples/parallel-keyed', () => {
  it('averages every sensor over all its readings, each sensor on one instance', async () => {
    const total = 1000;
    const sensors = 10;
    const averages = await main(total, sensors);
    expect(Object.keys(averages)).to.have.length(sensors);
    for (let s = 0; s < sensors; s++) {
      const a = averages[`sensor-${s}`]!;
      const values = Array.from({ length: total / sensors }, (_, k) => s + k * sensors);
      expect(a.count).to.equal(values.length);
      expect(a.average).to.equal(values.reduce((x, y) => x + y, 0) / values.length);
      expect(a.instance).to.be.within(0, 3);
    }
    expect(new Set(Object.values(averages).map((a) => a.instance)).size).to.be.greaterThan(1);
  });
});
