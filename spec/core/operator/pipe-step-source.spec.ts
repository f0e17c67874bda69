import { expect } from 'chai';
import { Subscription } from 'rxjs';
import {
  compilePipePart,
  INDEXED_KEYS,
  pipeStepSource,
  type PipeStepPart,
} from '../../../src/core/operator/pipe-step-source.js';

describe('pipeStepSource (compiled parts of a pipe step)', () => {
  const parts: PipeStepPart[] = [
    'instance',
    'instance-idle',
    'keyed',
    'keyed-idle',
    'emit',
    'instance-loop',
    'instance-idle-loop',
  ];

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
    expect(pipeStepSource('instance-idle-loop', 1)).to.contain('scheduler.now()');
    expect(pipeStepSource('instance-loop', 1)).to.not.contain('scheduler.now()');
  });

  it('compiles a loop that runs an array slice into the instance chain, stops when interrupted or halted, and counts', () => {
    const seen: unknown[] = [];
    const chain = fakeChain('one', seen, undefined);
    const step = { ending: false, chain: undefined as unknown, begin: () => (step.chain = chain) };
    const gate = { stopped: false, halted: false, paused: false };
    const metrics = { in: 0 };
    const host = { interrupted: false };
    const source = { out: 0 };
    const pull = compilePipePart<(cursor: { items: unknown[]; index: number }, end: number) => void>(
      'instance-loop',
      [step, gate, metrics, undefined, undefined, undefined, undefined, host, source],
    );
    const cursor = { items: ['a', 'b', 'c', 'd', 'e'], index: 1 };
    pull(cursor, 3);
    expect(seen).to.deep.equal([
      ['one', 'b'],
      ['one', 'c'],
    ]);
    expect([cursor.index, source.out, metrics.in]).to.deep.equal([3, 2, 2]);
    chain.input._next = (v: unknown) => {
      host.interrupted = true;
      return seen.push(['one', v]);
    };
    pull(cursor, 5);
    expect(seen.slice(2)).to.deep.equal([['one', 'd']]);
    expect([cursor.index, source.out, metrics.in]).to.deep.equal([4, 3, 3]);
    host.interrupted = false;
    gate.paused = true;
    pull(cursor, 5);
    expect(cursor.index).to.equal(4);
    gate.paused = false;
    chain.input._next = () => {
      throw new Error('boom');
    };
    expect(() => {
      pull(cursor, 5);
    }).to.throw('boom');
    expect([cursor.index, source.out, metrics.in]).to.deep.equal([5, 4, 4]);
  });

  it("compiles a loop that counts the source's records as it goes only when asked (else when it returns)", () => {
    for (const each of [false, true]) {
      const source = { out: 0 };
      const seen: number[] = [];
      const chain = {
        key: undefined,
        timestamp: undefined,
        input: { isStopped: false, _next: () => seen.push(source.out), next: () => 0 },
      };
      const step = { ending: false, chain };
      const pull = compilePipePart<(cursor: { items: unknown[]; index: number }, end: number) => void>(
        'instance-loop',
        [
          step,
          { stopped: false, halted: false, paused: false },
          { in: 0 },
          undefined,
          undefined,
          undefined,
          undefined,
          { interrupted: false },
          source,
        ],
        each,
      );
      pull({ items: ['a', 'b'], index: 0 }, 2);
      expect(seen, String(each)).to.deep.equal(each ? [1, 2] : [0, 0]);
      expect(source.out).to.equal(2);
    }
  });

  it('refuses a serial that is not a safe integer', () => {
    expect(() => pipeStepSource('keyed', 1.5)).to.throw(RangeError, 'integer');
  });

  /** A fake chain whose input records what it is handed, the way the compiled entry hands it over. */
  function fakeChain(name: unknown, seen: unknown[], key: unknown = name, isStopped = false) {
    return {
      key,
      timestamp: undefined as number | undefined,
      input: {
        isStopped,
        _next: (v: unknown) => seen.push([name, v]),
        next: (v: unknown) => seen.push([name, 'stopped', v]),
      },
    };
  }

  it('compiles an entry that finds small whole-number keys in their slot, strings in the Map, others through chainOf', () => {
    const seen: unknown[] = [];
    const chainOf = (key: unknown) => fakeChain(key, seen);
    const indexed: unknown[] = [];
    indexed[3] = fakeChain('slot', seen, 3);
    const chains = new Map<unknown, unknown>([['s', fakeChain('map', seen, 's')]]);
    const step = { ending: false, recent: undefined as unknown, chainOf };
    const metrics = { in: 0 };
    const next = compilePipePart<(value: unknown, key: unknown, timestamp: number | undefined) => void>(
      'keyed',
      [step, { stopped: false }, metrics, indexed, undefined, undefined, chains],
    );
    next('a', 3, undefined);
    next('b', INDEXED_KEYS, undefined);
    next('c', '3', undefined);
    next('d', 2.5, 7);
    next('e', 's', undefined);
    expect(step.recent).to.equal(chains.get('s'));
    next('f', 's', undefined);
    // A string that starts with U+0000 is not its own normalized form: chainOf encodes it.
    next('g', '\u0000s', undefined);
    expect(seen).to.deep.equal([
      ['slot', 'a'],
      [INDEXED_KEYS, 'b'],
      ['3', 'c'],
      [2.5, 'd'],
      ['map', 'e'],
      ['map', 'f'],
      ['\u0000s', 'g'],
    ]);
    expect(metrics.in).to.equal(7);
  });

  it("compiles an entry that calls the input's _next while it runs, next once it stopped, nothing before it is subscribed", () => {
    const seen: unknown[] = [];
    const running = fakeChain('running', seen);
    const stopped = fakeChain('stopped', seen, 'stopped', true);
    const unsubscribed = { key: 'none', timestamp: undefined, input: undefined };
    const byKey = new Map<unknown, unknown>([
      ['running', running],
      ['stopped', stopped],
      ['none', unsubscribed],
    ]);
    const step = { ending: false, recent: undefined, chainOf: (key: unknown) => byKey.get(key) };
    const next = compilePipePart<(value: unknown, key: unknown, timestamp: number | undefined) => void>(
      'keyed',
      [step, { stopped: false }, { in: 0 }, [], undefined, undefined, new Map()],
    );
    next(1, 'running', 5);
    next(2, 'stopped', undefined);
    next(3, 'none', undefined);
    expect(seen).to.deep.equal([
      ['running', 1],
      ['stopped', 'stopped', 2],
    ]);
    expect(running.timestamp).to.equal(5);
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
      undefined,
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
