import { expect } from 'chai';
import { map, Observable, Subscription } from 'rxjs';
import { PipeChain, type PipeChainOwner } from '../../../src/core/operator/pipe-chain.js';
import { chainInput } from '../../../src/core/operator/pipe-chain-input.js';
import { JobGate } from '../../../src/kernel/runtime/job-gate.js';

/** A chain of a fake step that records what reaches the next step and which chains it released. */
function makeChain() {
  const out: unknown[] = [];
  const released: PipeChain[] = [];
  const gate = new JobGate();
  const owner: PipeChainOwner = {
    gate,
    out: { next: (v, k, t) => out.push([v, k, t]), complete: () => out.push('complete') },
    release: (c) => released.push(c),
    fail: (e) => out.push(['fail', e]),
  };
  const emit = function (this: PipeChain, value: unknown): void {
    if (!this.ended) owner.out.next(value, this.key, this.timestamp);
  };
  const chain = new PipeChain(owner, emit, 'k', 'k');
  return { chain, out, released, gate };
}

describe('PipeChain (the end of one running operator chain)', () => {
  it('holds its first subscriber without a teardown array and tears it down with the chain', () => {
    const { chain, out } = makeChain();
    map((x: number) => x + 1)(
      new Observable<number>((s) => {
        chain.input = chainInput(s);
      }),
    ).subscribe(chain);
    // RxJS would keep the operator's subscriber in an array allocated for this one chain (one per key).
    expect(Reflect.get(chain, '_finalizers')).to.equal(null);
    chain.input?._next(1);
    expect(out).to.deep.equal([[2, 'k', undefined]]);
    chain.unsubscribe();
    expect(chain.closed).to.equal(true);
    expect(chain.input?.isStopped).to.equal(true);
  });

  it('tears down its first subscriber, then the other teardowns in the order they were added', () => {
    const { chain } = makeChain();
    const order: string[] = [];
    // The first Subscriber (an operator's) is held in a field; functions and plain Subscriptions go where RxJS
    // keeps them.
    map((x: number) => x)(new Observable<number>(() => () => order.push('first'))).subscribe(chain);
    chain.add(() => order.push('function'));
    const timer = new Subscription(() => order.push('timer'));
    chain.add(timer);
    chain.unsubscribe();
    expect(order).to.deep.equal(['first', 'function', 'timer']);
  });

  it('runs a teardown added after it closed at once, and forgets a subscriber removed from it', () => {
    const { chain } = makeChain();
    const order: string[] = [];
    map((x: number) => x)(new Observable<number>(() => () => order.push('source'))).subscribe(chain);
    const child = Reflect.get(chain, 'child') as Subscription;
    chain.remove(child);
    chain.unsubscribe();
    expect(order).to.deep.equal([]);
    chain.add(() => order.push('late'));
    expect(order).to.deep.equal(['late']);
    child.unsubscribe();
    expect(order).to.deep.equal(['late', 'source']);
  });

  it('still tears everything down when its first subscriber fails to, then rethrows that error', () => {
    const { chain } = makeChain();
    const order: string[] = [];
    map((x: number) => x)(
      new Observable<number>(() => () => {
        throw new Error('teardown failed');
      }),
    ).subscribe(chain);
    chain.add(() => order.push('next teardown'));
    expect(() => {
      chain.unsubscribe();
    }).to.throw('teardown failed');
    expect(order).to.deep.equal(['next teardown']);
    expect(chain.closed).to.equal(true);
  });

  it('passes a value emitted while the job is paused on once it resumes, with its key and time', () => {
    const { chain, out, gate } = makeChain();
    gate.pause();
    chain.timestamp = 9;
    chain.later('x');
    expect(out).to.deep.equal([]);
    gate.resume();
    expect(out).to.deep.equal([['x', 'k', 9]]);
  });

  it('releases itself once on complete or error, and reports the error to its step', () => {
    const { chain, out, released } = makeChain();
    chain.complete();
    chain.error(new Error('late'));
    expect(released).to.deep.equal([chain]);
    expect(chain.ended).to.equal(true);
    const other = makeChain();
    other.chain.error('boom');
    other.chain.complete();
    expect(other.released).to.deep.equal([other.chain]);
    expect(other.out).to.deep.equal([['fail', 'boom']]);
    expect(out).to.deep.equal([]);
  });
});
