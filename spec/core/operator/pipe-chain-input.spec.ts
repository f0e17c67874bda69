import { expect } from 'chai';
import { map, Observable, Subscriber, type Subscription } from 'rxjs';
import { chainInput, joinInput } from '../../../src/core/operator/pipe-chain-input.js';

/** Subscribes `op` to a source and returns the subscriber the operator subscribed to it with. */
function firstSubscriber(op: (source: Observable<number>) => Observable<number>, seen: number[]) {
  let input: Subscriber<unknown> | undefined;
  const subscription: Subscription = op(
    new Observable<number>((s) => {
      input = s;
    }),
  ).subscribe((x) => seen.push(x));
  if (input === undefined) throw new Error('the operator did not subscribe');
  return { input, subscription };
}

describe('chainInput (what the compiled pipe entry hands records to)', () => {
  it("is an RxJS operator's own subscriber, whose _next runs the operator and whose next stops after complete", () => {
    const seen: number[] = [];
    const { input } = firstSubscriber(
      map((x: number) => x * 2),
      seen,
    );
    const entry = chainInput(input);
    expect(entry).to.equal(input);
    expect(entry.isStopped).to.equal(false);
    entry._next(1);
    entry.next(2);
    entry.complete();
    expect(entry.isStopped).to.equal(true);
    entry.next(3);
    expect(seen).to.deep.equal([2, 4]);
  });

  it('forwards to a subscriber that overrides next, which the entry then never bypasses', () => {
    const seen: unknown[] = [];
    class Counting extends Subscriber<unknown> {
      override next(value: unknown): void {
        seen.push(['next', value]);
      }

      override complete(): void {
        seen.push('complete');
      }
    }
    // A hand-written operator may subclass Subscriber (RxJS marks its constructor internal, but code does it).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const entry = chainInput(new Counting());
    expect(entry).to.not.be.instanceOf(Counting);
    expect(entry.isStopped).to.equal(false);
    entry._next(1);
    entry.next(2);
    entry.complete();
    expect(seen).to.deep.equal([['next', 1], ['next', 2], 'complete']);
  });

  it('forwards to a subscriber-like object that is not an RxJS Subscriber (another rxjs copy)', () => {
    const seen: unknown[] = [];
    const foreign = {
      next: (v: unknown) => seen.push(v),
      complete: () => seen.push('done'),
    } as unknown as Subscriber<unknown>;
    const entry = chainInput(foreign);
    entry._next('a');
    entry.complete();
    expect(seen).to.deep.equal(['a', 'done']);
  });
});

describe('joinInput (a chain source subscribed more than once)', () => {
  it('keeps the only subscriber as the input, and replaces it once it closed (an operator that resubscribes)', () => {
    const seen: number[] = [];
    const first = firstSubscriber(
      map((x: number) => x + 1),
      seen,
    );
    const alone = joinInput(undefined, first.input);
    expect(alone).to.equal(first.input);
    first.subscription.unsubscribe();
    const second = firstSubscriber(
      map((x: number) => x + 100),
      seen,
    );
    const replaced = joinInput(alone, second.input);
    expect(replaced).to.equal(second.input);
    replaced._next(1);
    expect(seen).to.deep.equal([101]);
  });

  it('fans each record out to every open subscriber in subscription order, dropping closed ones', () => {
    const seen: number[] = [];
    const a = firstSubscriber(
      map((x: number) => x + 10),
      seen,
    );
    const b = firstSubscriber(
      map((x: number) => x + 20),
      seen,
    );
    let input = joinInput(joinInput(undefined, a.input), b.input);
    input._next(1);
    expect(seen).to.deep.equal([11, 21]);
    a.subscription.unsubscribe();
    const c = firstSubscriber(
      map((x: number) => x + 30),
      seen,
    );
    input = joinInput(input, c.input);
    input._next(2);
    expect(seen).to.deep.equal([11, 21, 22, 32]);
    input.complete();
    expect(input.closed).to.equal(true);
  });
});
