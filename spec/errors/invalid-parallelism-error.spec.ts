import { expect } from 'chai';
import { InvalidParallelismError } from '../../src/errors/invalid-parallelism-error.js';

describe('InvalidParallelismError', () => {
  it('says which operator got which value and what to pass instead', () => {
    const e = new InvalidParallelismError('enrich', 1.5);
    expect(e.message).to.match(
      /^enrich: parallelism must be a positive integer, got 1\.5; pass \{ parallelism: n \}/,
    );
    expect(e.operator).to.equal('enrich');
    expect(e.parallelism).to.equal(1.5);
  });
});
