import { expect } from 'chai';
import {
  AllowedLatenessError,
  InvalidSessionGapError,
  InvalidWindowSizeError,
  InvalidWindowSlideError,
  MissingTimestampError,
  SageError,
  WindowMergeError,
} from '../../src/index.js';

describe('window errors', () => {
  for (const E of [
    AllowedLatenessError,
    InvalidSessionGapError,
    InvalidWindowSizeError,
    InvalidWindowSlideError,
    MissingTimestampError,
    WindowMergeError,
  ]) {
    it(`${E.name} is a SageError named after its class`, () => {
      const e = new E('what was wrong: what to do');
      expect(e).to.be.instanceOf(SageError);
      expect(e.name).to.equal(E.name);
      expect(e.message).to.equal('what was wrong: what to do');
    });
  }
});
