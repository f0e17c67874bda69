import { expect } from 'chai';
import { main } from '../../samples/sensor-comap.js';

describe('sample: sensor-comap', () => {
  it('normalizes the readings of three sensors, each by its own handler', async () => {
    expect(await main()).to.deep.equal({
      temperature: [21.5, 22, 22.4],
      humidity: [0.4, 0.45],
      pressure: [101300, 100900],
    });
  });
});
