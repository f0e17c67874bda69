import { expect } from 'chai';
import { InvalidArgumentError } from '../../src/index.js';
import { LocalEnvironment } from '../../src/index.js';

describe('InvalidArgumentError', () => {
  it('is a TypeError named InvalidArgumentError, exported from the package', () => {
    const e = new InvalidArgumentError('callService: the method must be a non-empty string');
    expect(e).to.be.instanceOf(TypeError);
    expect(e.name).to.equal('InvalidArgumentError');
    expect(String(e)).to.equal('InvalidArgumentError: callService: the method must be a non-empty string');
  });

  it('is what the API throws for a bad argument or option, with what was given and what to pass', () => {
    expect(() => new LocalEnvironment('')).to.throw(InvalidArgumentError, 'non-empty string');
    const env = new LocalEnvironment('bad-options', { logLevel: 'silent' });
    expect(() => env.fromBatch([1]).map((x) => x, { errorPolicy: 'ignore' as 'skip' })).to.throw(
      InvalidArgumentError,
      "errorPolicy must be 'skip' or 'fail'",
    );
  });
});
