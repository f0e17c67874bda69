import { expect } from 'chai';
import { main } from '../../samples/word-count.js';

describe('samples/word-count', () => {
  it('counts every word of the sample text', async () => {
    const counts = await main();
    expect(counts).to.deep.equal({
      the: 4,
      quick: 1,
      brown: 1,
      fox: 2,
      jumps: 1,
      over: 1,
      lazy: 1,
      dog: 2,
      sleeps: 1,
      runs: 1,
    });
  });

  it('counts the words of any lines it is given', async () => {
    expect(await main(['a b a', '', 'b a'])).to.deep.equal({ a: 3, b: 2 });
  });
});
