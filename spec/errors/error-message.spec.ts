import { expect } from 'chai';
import { describeValue } from '../../src/errors/describe-value.js';
import { errorMessage } from '../../src/errors/error-message.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { toError } from '../../src/errors/to-error.js';
import { hostileThrowables } from '../helpers/hostile-throwables.js';

describe('errorMessage', () => {
  it("gives an Error's message, a string as is and anything else as String(value)", () => {
    expect(errorMessage(new Error('boom'))).to.equal('boom');
    expect(errorMessage('plain')).to.equal('plain');
    expect(errorMessage(undefined)).to.equal('undefined');
    expect(errorMessage(null)).to.equal('null');
    expect(errorMessage(Symbol('s'))).to.equal('Symbol(s)');
  });

  for (const [name, make] of Object.entries(hostileThrowables)) {
    it(`never throws for ${name}, nor do describeValue, toError and JobFailedError`, () => {
      const value = make();
      expect(errorMessage(value)).to.be.a('string').and.not.equal('');
      expect(describeValue(value)).to.be.a('string');
      expect(toError(value)).to.be.instanceOf(Error);
      expect(new JobFailedError('job', 'op', value).message).to.match(/^Job job failed in op: ./);
    });
  }
});
