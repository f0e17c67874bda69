import { expect } from 'chai';
import { describeValue } from '../../src/errors/describe-value.js';

describe('describeValue', () => {
  it('describes every kind of value briefly', () => {
    expect(describeValue(42)).to.equal('number 42');
    expect(describeValue('x')).to.equal('string "x"');
    expect(describeValue(null)).to.equal('null');
    expect(describeValue(undefined)).to.equal('undefined');
    expect(describeValue([1])).to.equal('an array');
    expect(describeValue({})).to.equal('an object ([object Object])');
    expect(
      describeValue(function named() {
        return 1;
      }),
    ).to.equal('function named');
    expect(describeValue(true)).to.equal('boolean true');
    expect(describeValue(10n)).to.equal('bigint 10');
    expect(describeValue(Symbol('s'))).to.equal('Symbol(s)');
  });
});
