import { expect } from 'chai';
import { InvalidFunctionError } from '../../src/errors/invalid-function-error.js';

describe('InvalidFunctionError', () => {
  it('says what the operator expected and describes what it got', () => {
    class Out {}
    expect(new InvalidFunctionError('map', 'a function or a MapFunction class', Out).message).to.equal(
      'map: expected a function or a MapFunction class, got function Out',
    );
    expect(new InvalidFunctionError('sink', 'an Observer', null).message).to.equal(
      'sink: expected an Observer, got null',
    );
  });
});
