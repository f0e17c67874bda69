import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { FilterFunction } from '../../../src/core/api/function/filter-function.js';
import { FlatMapFunction } from '../../../src/core/api/function/flat-map-function.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { UsageError } from '../../../src/errors/usage-error.js';
import { InvalidFunctionError } from '../../../src/errors/invalid-function-error.js';
import { asOperator } from '../../../src/index.js';

class Scale extends MapFunction<number, string> {
  private seen = 0;
  constructor(private readonly factor: number) {
    super();
  }
  execute(x: number): string | undefined {
    this.seen++;
    if (x < 0) return undefined;
    return `${this.ctx.name}:${String(x * this.factor)}#${String(this.seen)}`;
  }
}

class SlowEven extends FilterFunction<number> {
  execute(x: number): Promise<boolean> {
    return Promise.resolve(x % 2 === 0);
  }
}

class Words extends FlatMapFunction<string, string> {
  execute(line: string): string[] {
    const [first, ...rest] = line.split(' ');
    for (const w of rest) this.collect(w.toUpperCase());
    return first === undefined ? [] : [first];
  }
}

class UsesState extends MapFunction<number, number> {
  execute(x: number): number {
    this.ctx.state.value('n', 0).set(x);
    return x;
  }
}

class UsesService extends MapFunction<number, number> {
  execute(x: number): Promise<number> {
    return this.callService<number>('calc', x);
  }
}

describe('asOperator', () => {
  it('runs a MapFunction class as an RxJS operator, one function object per subscription', async () => {
    const op = asOperator(Scale, { args: [10] });
    const first = await lastValueFrom(of(1, -1, 2).pipe(op, toArray()));
    const second = await lastValueFrom(of(3).pipe(op, toArray()));
    expect(first).to.deep.equal(['Scale_0:10#1', 'Scale_0:20#3']);
    expect(second).to.deep.equal(['Scale_0:30#1']);
  });

  it('awaits a FilterFunction returning a Promise, keeping order', async () => {
    expect(await lastValueFrom(of(1, 2, 3, 4).pipe(asOperator(SlowEven), toArray()))).to.deep.equal([2, 4]);
  });

  it('emits a FlatMapFunction’s returned items, then its collected ones', async () => {
    expect(await lastValueFrom(of('a b c', 'd').pipe(asOperator(Words), toArray()))).to.deep.equal([
      'a',
      'B',
      'C',
      'd',
    ]);
  });

  it('takes a plain map function', async () => {
    expect(
      await lastValueFrom(
        of(1, 2).pipe(
          asOperator((x: number) => x + 1),
          toArray(),
        ),
      ),
    ).to.deep.equal([2, 3]);
  });

  it('offers a minimal ctx: keyed state and services throw UsageError', async () => {
    let stateError: unknown;
    try {
      await firstValueFrom(of(1).pipe(asOperator(UsesState)));
    } catch (e) {
      stateError = e;
    }
    expect(stateError).to.be.instanceOf(UsageError);
    expect(String(stateError)).to.contain('outside a job');
    let serviceError: unknown;
    try {
      await firstValueFrom(of(1).pipe(asOperator(UsesService)));
    } catch (e) {
      serviceError = e;
    }
    expect(serviceError).to.be.instanceOf(UsageError);
    expect(String(serviceError)).to.contain('calc');
  });

  it('rejects what is not a function or a map/filter/flatMap class', () => {
    expect(() => asOperator(42 as unknown as (x: number) => number)).to.throw(InvalidFunctionError);
  });
});
