import { expect } from 'chai';
import { toFactory, isClass } from '../../../../src/core/api/function/to-factory.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { InvalidFunctionError } from '../../../../src/errors/invalid-function-error.js';
import type { ExecuteLike } from '../../../../src/core/transformation/function-factory.js';

describe('toFactory', () => {
  class Double extends MapFunction<number, number> {
    execute(x: number): number {
      return x * 2;
    }
  }

  it('tells classes from plain and arrow functions', () => {
    expect(isClass(Double)).to.equal(true);
    expect(isClass(() => 1)).to.equal(false);
    expect(
      isClass(function named() {
        return 1;
      }),
    ).to.equal(false);
  });

  it('builds a fresh object per create() from a class', () => {
    const factory = toFactory<ExecuteLike>('map', Double, MapFunction, undefined);
    const a = factory.create();
    const b = factory.create();
    expect(a).to.be.instanceOf(Double);
    expect(a).not.to.equal(b);
    expect(factory.label).to.equal('Double');
  });

  it('wraps a plain function as the execute of an object of the base class', () => {
    const factory = toFactory<ExecuteLike>('map', (x: number) => x + 1, MapFunction, undefined);
    const fn = factory.create();
    expect(fn).to.be.instanceOf(MapFunction);
    expect(fn.execute(1)).to.equal(2);
  });

  it('accepts a duck-typed class with execute that extends no base', () => {
    class Plain {
      execute(x: number): number {
        return x;
      }
    }
    expect(() => toFactory('map', Plain, MapFunction, undefined)).not.to.throw();
  });

  it('refuses a class of another function kind, a non-function, and bad args', () => {
    class Out extends SinkFunction<number> {
      execute(): void {
        return undefined;
      }
    }
    expect(() => toFactory('map', Out, MapFunction, undefined)).to.throw(InvalidFunctionError, /MapFunction/);
    expect(() => toFactory('map', {}, MapFunction, undefined)).to.throw(InvalidFunctionError);
    expect(() => toFactory('map', Double, MapFunction, 'x' as never)).to.throw(InvalidFunctionError, /args/);
    expect(() => toFactory('map', (x: number) => x, MapFunction, [1])).to.throw(
      InvalidFunctionError,
      /class/,
    );
  });
});
