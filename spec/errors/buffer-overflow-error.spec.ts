import { expect } from 'chai';
import { BufferOverflowError } from '../../src/errors/buffer-overflow-error.js';

describe('BufferOverflowError', () => {
  it('names the source and the buffer size, and suggests the alternatives', () => {
    const e = new BufferOverflowError('ticks', 100);
    expect(e.operator).to.equal('ticks');
    expect(e.bufferSize).to.equal(100);
    expect(e.message).to.include('ticks').and.include('100').and.include('drop-oldest');
  });
});
