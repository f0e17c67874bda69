import { expect } from 'chai';
import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { BatchFunction } from '../../../src/core/api/function/batch-function.js';
import { SourceFunction } from '../../../src/core/api/function/source-function.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { StopSignal } from '../../../src/kernel/runtime/stop-signal.js';
import { InvalidParallelismError } from '../../../src/errors/invalid-parallelism-error.js';
import { PipelineBuildError } from '../../../src/errors/pipeline-build-error.js';
import { collect } from '../../helpers/collect.js';

describe('BaseEnvironment sources', () => {
  let jm: JobManager;
  let env: LocalEnvironment;

  beforeEach(() => {
    jm = new JobManager();
    env = new LocalEnvironment('sources', { jobManager: jm, logLevel: 'silent' });
  });

  describe('fromBatch', () => {
    it('reads any Iterable, such as a generator', async () => {
      function* numbers(): Generator<number> {
        for (let i = 1; i <= 4; i++) yield i;
      }
      const out = collect(env.fromBatch(numbers()));
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([1, 2, 3, 4]);
    });

    it('reads an AsyncIterable, such as an async generator', async () => {
      async function* numbers(): AsyncGenerator<string> {
        for (const s of ['x', 'y', 'z']) {
          await Promise.resolve();
          yield s;
        }
      }
      const out = collect(env.fromBatch(numbers()));
      await env.submit({ autostop: true });
      expect(out).to.deep.equal(['x', 'y', 'z']);
    });

    it('polls a BatchFunction class built with options.args until undefined', async () => {
      class Lines extends BatchFunction<string> {
        constructor(private readonly lines: string[]) {
          super();
        }
        execute(): string | undefined {
          return this.lines.shift();
        }
      }
      const out = collect(env.fromBatch(Lines, { args: [['a', 'b', 'c']] }));
      await env.submit({ autostop: true });
      expect(out).to.deep.equal(['a', 'b', 'c']);
    });

    it('ends a BatchFunction on StopSignal and awaits its Promise results', async () => {
      class Countdown extends BatchFunction<number> {
        private n = 3;
        execute(): Promise<number | StopSignal> {
          return Promise.resolve(this.n > 0 ? this.n-- : new StopSignal('done'));
        }
      }
      const out = collect(env.fromCollection(Countdown));
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([3, 2, 1]);
    });

    it('throws TypeError for anything that is not a collection or a BatchFunction class', () => {
      expect(() => env.fromBatch(42 as never)).to.throw(TypeError, /fromBatch: expected .* got number 42/);
      expect(() => env.fromBatch('abc' as never)).to.throw(TypeError);
      expect(() => env.fromBatch(null as never)).to.throw(TypeError);
    });

    it('refuses parallelism > 1 over a collection (each instance would replay it)', () => {
      expect(() => env.fromBatch([1], { parallelism: 2 })).to.throw(InvalidParallelismError);
    });
  });

  describe('fromSource', () => {
    it('polls again after options.delay (on the job scheduler) on undefined, and ends on StopSignal', async () => {
      const scheduler = new TestScheduler(() => undefined);
      const virtual = new LocalEnvironment('virtual', { jobManager: jm, scheduler });
      const polls: number[] = [];
      let n = 0;
      const out = collect(
        virtual.fromSource(
          () => {
            polls.push(scheduler.now());
            n++;
            if (n === 2 || n === 4) return undefined;
            return n < 6 ? n : new StopSignal();
          },
          { delay: 20 },
        ),
      );
      const done = virtual.submit({ autostop: true });
      expect(out).to.deep.equal([1]);
      scheduler.flush();
      await done;
      expect(out).to.deep.equal([1, 3, 5]);
      expect(polls).to.deep.equal([0, 0, 20, 20, 40, 40]);
    });

    it('awaits a SourceFunction that returns Promises', async () => {
      class Async extends SourceFunction<number> {
        private n = 0;
        execute(): Promise<number | undefined | StopSignal> {
          this.n++;
          if (this.n === 2) return Promise.resolve(undefined);
          return Promise.resolve(this.n <= 4 ? this.n : new StopSignal());
        }
      }
      const out = collect(env.fromSource(Async, { delay: 1 }));
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([1, 3, 4]);
    });

    it('rejects a negative or non-numeric delay', () => {
      expect(() => env.fromSource(() => 1, { delay: -1 })).to.throw(TypeError, /delay/);
      expect(() => env.fromSource(() => 1, { delay: 'soon' as never })).to.throw(TypeError, /delay/);
    });
  });

  describe('fromObservable', () => {
    it('reads values until completion', async () => {
      const out = collect(
        env.fromObservable(
          new Observable<number>((s) => {
            s.next(1);
            s.next(2);
            s.complete();
          }),
        ),
      );
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([1, 2]);
    });

    it('validates its argument and options', () => {
      expect(() => env.fromObservable([1] as never)).to.throw(TypeError, /Observable/);
      expect(() => env.fromObservable(new Observable(), { bufferSize: 0 })).to.throw(TypeError, /bufferSize/);
      expect(() => env.fromObservable(new Observable(), { overflow: 'block' as 'error' })).to.throw(
        TypeError,
      );
    });
  });

  describe('chain options', () => {
    for (const parallelism of [0, 1.5, -1, Number.NaN]) {
      it(`throws InvalidParallelismError for parallelism ${parallelism}`, () => {
        const stream = env.fromBatch([1]);
        expect(() => stream.map((x) => x, { parallelism })).to.throw(
          InvalidParallelismError,
          /positive integer/,
        );
        expect(() => stream.sink(() => undefined, { parallelism })).to.throw(InvalidParallelismError);
        expect(() => env.fromSource(() => 1, { parallelism })).to.throw(InvalidParallelismError);
      });
    }

    it('refuses a duplicate operator name and derives unique default names', () => {
      const stream = env.fromBatch([1]).map((x) => x, { name: 'double' });
      expect(() => stream.map((x) => x, { name: 'double' })).to.throw(PipelineBuildError, /already used/);
      stream.map((x) => x);
      stream.map((x) => x);
      expect(env.pipeline.map((t) => t.name)).to.deep.equal(['fromBatch', 'double', 'map', 'map-2']);
    });

    it('refuses a stream of another environment', () => {
      const other = new LocalEnvironment('other', { jobManager: jm });
      const stream = other.fromBatch([1]);
      const foreign = Object.create(stream) as typeof stream;
      Object.defineProperty(foreign, 'environment', { value: env });
      expect(() => foreign.map((x) => x)).to.throw(PipelineBuildError, /another environment/);
    });

    it('rejects an environment config that is not an object', () => {
      for (const config of [5, 'fail', null, [1]]) {
        expect(() => new LocalEnvironment('configured', config as never), String(config)).to.throw(
          TypeError,
          /config must be an object/,
        );
      }
    });

    it('rejects options that are not an object', () => {
      expect(() => env.fromBatch([1]).map((x) => x, 3 as never)).to.throw(
        TypeError,
        /options must be an object/,
      );
    });
  });
});
