import { expect } from 'chai';
import { Subscription } from 'rxjs';
import {
  compilePipePart,
  INDEXED_KEYS,
  pipeStepSource,
  type PipeStepPart,
} from '../../../src/core/operator/pipe-step-source.js';

describe('pipeStepSource (compiled parts of a pipe step)', () => {
  const parts: PipeStepPart[] = ['instance', 'instance-idle', 'keyed', 'keyed-idle', 'emit'];

  it('builds each part from its template and the serial only, one distinct text per serial', () => {
    for (const part of parts) {
      const a = pipeStepSource(part, 1);
      const b = pipeStepSource(part, 2);
      expect(a).to.not.equal(b);
      expect(a.replace(/ 1\n/, ' 2\n')).to.equal(b);
      expect(a.startsWith("'use strict';")).to.equal(true);
    }
    expect(pipeStepSource('keyed', 1)).to.contain(`key < ${String(INDEXED_KEYS)}`);
    expect(pipeStepSource('instance-idle', 1)).to.contain('scheduler.now()');
    expect(pipeStepSource('instance', 1)).to.not.contain('scheduler.now()');
  });

  it('refuses a serial that is not a safe integer', () => {
    expect(() => pipeStepSource('keyed', 1.5)).to.throw(RangeError, 'integer');
  });

  it('compiles an entry that finds small whole-number keys in their slot and others through chainOf', () => {
    const seen: unknown[] = [];
    const chainOf = (key: unknown) => ({
      key,
      timestamp: undefined,
      input: { next: (v: unknown) => seen.push([key, v]) },
    });
    const slot = { key: 3, timestamp: undefined, input: { next: (v: unknown) => seen.push(['slot', v]) } };
    const indexed: unknown[] = [];
    indexed[3] = slot;
    const step = { ending: false, recent: undefined, chainOf };
    const metrics = { in: 0 };
    const next = compilePipePart<(value: unknown, key: unknown, timestamp: number | undefined) => void>(
      'keyed',
      [step, { stopped: false }, metrics, indexed, undefined, undefined],
    );
    next('a', 3, undefined);
    next('b', INDEXED_KEYS, undefined);
    next('c', '3', undefined);
    next('d', 2.5, 7);
    expect(seen).to.deep.equal([
      ['slot', 'a'],
      [INDEXED_KEYS, 'b'],
      ['3', 'c'],
      [2.5, 'd'],
    ]);
    expect(metrics.in).to.equal(4);
  });

  it('compiles an emit that passes values on with the chain key and holds them back while paused', () => {
    const out: unknown[] = [];
    const held: unknown[] = [];
    const gate = { halted: false };
    const metrics = { out: 0 };
    const emit = compilePipePart<(this: object, value: unknown) => void>('emit', [
      undefined,
      gate,
      metrics,
      undefined,
      undefined,
      { next: (v: unknown, k: unknown, t: unknown) => out.push([v, k, t]) },
    ]);
    const chain = Object.assign(new Subscription(), {
      ended: false,
      key: 'k',
      timestamp: 5,
      later: (v: unknown) => held.push(v),
    });
    emit.call(chain, 1);
    gate.halted = true;
    emit.call(chain, 2);
    chain.ended = true;
    emit.call(chain, 3);
    expect(out).to.deep.equal([[1, 'k', 5]]);
    expect(held).to.deep.equal([2]);
    expect(metrics.out).to.equal(2);
  });
});
