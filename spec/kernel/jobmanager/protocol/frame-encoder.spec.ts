import { expect } from 'chai';
import { ProtocolError } from '../../../../src/errors/protocol-error.js';
import { encodeFrame } from '../../../../src/kernel/jobmanager/protocol/frame-encoder.js';

describe('encodeFrame', () => {
  it('writes a 4-byte big-endian length followed by the UTF-8 JSON', () => {
    const frame = encodeFrame({ a: 'é' });
    const json = '{"a":"é"}';
    expect(frame.readUInt32BE(0)).to.equal(Buffer.byteLength(json));
    expect(frame.subarray(4).toString('utf8')).to.equal(json);
  });

  it('refuses a message over the frame limit', () => {
    expect(() => encodeFrame({ blob: 'x'.repeat(100) }, 50)).to.throw(
      ProtocolError,
      /exceeds the frame limit of 50/,
    );
  });

  it('refuses values that have no JSON form', () => {
    expect(() => encodeFrame(undefined)).to.throw(ProtocolError, /no JSON form/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeFrame(cyclic)).to.throw(ProtocolError, /Cannot encode/);
  });
});
