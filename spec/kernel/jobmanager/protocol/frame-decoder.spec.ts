import { expect } from 'chai';
import fc from 'fast-check';
import { BufferLimitError } from '../../../../src/errors/buffer-limit-error.js';
import { ProtocolError } from '../../../../src/errors/protocol-error.js';
import type { ByteBudget } from '../../../../src/kernel/jobmanager/protocol/byte-budget.js';
import { FrameDecoder, type DecodedFrame } from '../../../../src/kernel/jobmanager/protocol/frame-decoder.js';
import { encodeFrame } from '../../../../src/kernel/jobmanager/protocol/frame-encoder.js';
import { MAX_FRAME_BYTES } from '../../../../src/kernel/jobmanager/protocol/protocol-defaults.js';

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function messagesOf(frames: DecodedFrame[]): unknown[] {
  return frames.map((f) => {
    if (!f.ok) throw f.error;
    return f.message;
  });
}

function header(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length, 0);
  return b;
}

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(bytes.subarray(last, p));
    last = p;
  }
  parts.push(bytes.subarray(last));
  return parts;
}

describe('FrameDecoder', () => {
  it('decodes any sequence of JSON messages however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (values, offsets) => {
          const stream = Buffer.concat(values.map((v) => encodeFrame(v)));
          const decoder = new FrameDecoder();
          const out: unknown[] = [];
          for (const part of cut(stream, offsets)) out.push(...messagesOf(decoder.push(part)));
          expect(out).to.deep.equal(values.map(roundTrip));
          expect(decoder.pending).to.equal(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes the same frames when the stream is split at every byte', () => {
    const values = [{ action: 'health_check', request_id: 'a' }, 'é中😀', [1, 2, { x: null }], 42];
    const stream = Buffer.concat(values.map((v) => encodeFrame(v)));
    for (let i = 0; i <= stream.length; i++) {
      const decoder = new FrameDecoder();
      const out = [
        ...messagesOf(decoder.push(stream.subarray(0, i))),
        ...messagesOf(decoder.push(stream.subarray(i))),
      ];
      expect(out, `split at ${i}`).to.deep.equal(values);
    }
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...messagesOf(decoder.push(stream.subarray(i, i + 1))));
    expect(out).to.deep.equal(values);
  });

  it('decodes many frames from one chunk, in order', () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({ request_id: i }));
    const frames = new FrameDecoder().push(Buffer.concat(values.map((v) => encodeFrame(v))));
    expect(messagesOf(frames)).to.deep.equal(values);
  });

  it('never throws on random bytes and reports only ProtocolErrors', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const decoder = new FrameDecoder(1024);
        for (const chunk of chunks) {
          for (const frame of decoder.push(chunk)) {
            if (!frame.ok) expect(frame.error).to.be.instanceOf(ProtocolError);
          }
        }
        expect(decoder.pending).to.be.at.most(1024 + 4);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a declared length over the limit as fatal and ignores everything after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1025, max: 0xffffffff }), (length) => {
        const decoder = new FrameDecoder(1024);
        const frames = decoder.push(Buffer.concat([header(length), Buffer.from('{}')]));
        expect(frames).to.have.length(1);
        const [frame] = frames;
        expect(frame?.ok).to.equal(false);
        if (frame !== undefined && !frame.ok) {
          expect(frame.error.fatal).to.equal(true);
          expect(frame.error.message).to.contain('exceeds the limit');
        }
        expect(decoder.broken).to.equal(true);
        expect(decoder.push(encodeFrame({ a: 1 }))).to.deep.equal([]);
        expect(decoder.pending).to.equal(0);
      }),
    );
  });

  it('refuses an oversized header even when it arrives one byte at a time, before any payload', () => {
    const decoder = new FrameDecoder();
    const big = header(10 * 1024 * 1024 + 1);
    const results = [...big].map((byte) => decoder.push(Buffer.from([byte])));
    expect(results.slice(0, 3).every((r) => r.length === 0)).to.equal(true);
    expect(results[3]?.[0]?.ok).to.equal(false);
    expect(decoder.broken).to.equal(true);
  });

  it('accepts a frame of exactly the limit', () => {
    const limit = 64;
    const payload = JSON.stringify('x'.repeat(limit - 2));
    expect(Buffer.byteLength(payload)).to.equal(limit);
    const frames = new FrameDecoder(limit).push(Buffer.concat([header(limit), Buffer.from(payload)]));
    expect(messagesOf(frames)).to.deep.equal(['x'.repeat(limit - 2)]);
  });

  it('reports malformed JSON, invalid UTF-8 and empty frames as non-fatal errors and goes on', () => {
    const decoder = new FrameDecoder();
    const bad = [Buffer.from('{"action":'), Buffer.from([0xff, 0xfe, 0x22]), Buffer.alloc(0)];
    const stream = Buffer.concat([...bad.flatMap((b) => [header(b.length), b]), encodeFrame({ ok: true })]);
    const frames = decoder.push(stream);
    expect(frames.map((f) => f.ok)).to.deep.equal([false, false, false, true]);
    for (const f of frames.slice(0, 3)) {
      if (!f.ok) expect(f.error.fatal).to.equal(false);
    }
    const [json, utf8] = frames;
    if (json !== undefined && !json.ok) expect(json.error.message).to.match(/^Malformed JSON/);
    if (utf8 !== undefined && !utf8.ok) expect(utf8.error.message).to.contain('UTF-8');
    expect(frames[3]).to.deep.equal({ ok: true, message: { ok: true } });
    expect(decoder.broken).to.equal(false);
  });

  it('counts the bytes of an incomplete frame as pending', () => {
    const decoder = new FrameDecoder();
    const frame = encodeFrame({ hello: 'world' });
    decoder.push(frame.subarray(0, 7));
    expect(decoder.pending).to.equal(7);
    expect(messagesOf(decoder.push(frame.subarray(7)))).to.deep.equal([{ hello: 'world' }]);
    expect(decoder.pending).to.equal(0);
  });

  it('reassembles a large frame sent in small chunks', () => {
    const value = { blob: 'y'.repeat(1 << 20) };
    const frame = encodeFrame(value);
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < frame.length; i += 1000)
      out.push(...messagesOf(decoder.push(frame.subarray(i, i + 1000))));
    expect(out).to.deep.equal([value]);
  });

  describe('with a budget', () => {
    /** A budget that counts what is charged and refuses past `limit`. */
    class CountingBudget implements ByteBudget {
      used = 0;
      peak = 0;
      constructor(readonly limit = Number.POSITIVE_INFINITY) {}
      reserve(bytes: number): void {
        if (this.used + bytes > this.limit) throw new BufferLimitError(this.limit, 'server');
        this.used += bytes;
        this.peak = Math.max(this.peak, this.used);
      }
      release(bytes: number): void {
        this.used -= bytes;
      }
    }

    it('charges exactly what it holds, never more than a frame (or 4 KiB), and nothing once frames are whole', () => {
      fc.assert(
        fc.property(
          fc.array(fc.string({ maxLength: 3000 }), { minLength: 1, maxLength: 8 }),
          fc.array(fc.nat(), { maxLength: 40 }),
          (values, offsets) => {
            const frames = values.map((v) => encodeFrame(v));
            const largest = Math.max(4096, ...frames.map((f) => f.length));
            const budget = new CountingBudget();
            const decoder = new FrameDecoder(MAX_FRAME_BYTES, budget);
            const out: unknown[] = [];
            for (const part of cut(Buffer.concat(frames), offsets)) {
              out.push(...messagesOf(decoder.push(part)));
              expect(budget.used).to.equal(decoder.held);
              expect(decoder.held).to.be.at.most(largest);
            }
            expect(out).to.deep.equal(values);
            expect(budget.used).to.equal(0);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('does not allocate past the declared frame size however small the chunks', () => {
      const budget = new CountingBudget();
      const decoder = new FrameDecoder(MAX_FRAME_BYTES, budget);
      const frame = encodeFrame({ blob: 'z'.repeat(50_000) });
      for (let i = 0; i < frame.length - 1; i += 997)
        decoder.push(frame.subarray(i, Math.min(i + 997, frame.length - 1)));
      expect(budget.peak).to.be.at.most(frame.length);
      expect(messagesOf(decoder.push(frame.subarray(frame.length - 1)))).to.have.length(1);
      expect(budget.used).to.equal(0);
    });

    it('turns a refusal into a fatal BufferLimitError, gives everything back and ignores further input', () => {
      const budget = new CountingBudget(10_000);
      const decoder = new FrameDecoder(MAX_FRAME_BYTES, budget);
      const frame = encodeFrame({ blob: 'q'.repeat(20_000) });
      const frames = [
        ...decoder.push(frame.subarray(0, 8000)),
        ...decoder.push(frame.subarray(8000, 16_000)),
      ];
      expect(frames).to.have.length(1);
      const [refused] = frames;
      expect(refused?.ok).to.equal(false);
      if (refused?.ok !== false) return;
      expect(refused.error).to.be.instanceOf(BufferLimitError);
      expect(refused.error.fatal).to.equal(true);
      expect(budget.used).to.equal(0);
      expect(decoder.broken).to.equal(true);
      expect(decoder.push(frame.subarray(16_000))).to.deep.equal([]);
    });

    it('gives back what it holds on dispose', () => {
      const budget = new CountingBudget();
      const decoder = new FrameDecoder(MAX_FRAME_BYTES, budget);
      decoder.push(encodeFrame({ a: 'b'.repeat(9000) }).subarray(0, 5000));
      expect(budget.used).to.be.greaterThan(0);
      decoder.dispose();
      expect(budget.used).to.equal(0);
    });
  });

  it('hands frames to feed() one by one, so a handler can stop decoding after any of them', () => {
    const decoder = new FrameDecoder();
    const seen: unknown[] = [];
    decoder.feed(Buffer.concat([encodeFrame(1), encodeFrame(2), encodeFrame(3)]), (frame) => {
      if (frame.ok) seen.push(frame.message);
      if (seen.length === 2) decoder.dispose();
    });
    expect(seen).to.deep.equal([1, 2]);
  });
});
