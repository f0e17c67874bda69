import { expect } from 'chai';
import fc from 'fast-check';
import { catchError, map as rxMap, of, Subject } from 'rxjs';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import type { PipelineRequest } from '../../../../src/core/api/service/pipeline-envelope.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

/** Calls the pipeline service 'sq' with a 10 ms timeout; a timeout becomes the string 'timeout'. */
class Ask extends MapFunction<number, string> {
  execute(x: number) {
    return this.callService$<number>({ service: 'sq', timeout: 10 }, x).pipe(
      rxMap((y) => String(y)),
      catchError(() => of('timeout')),
    );
  }
}

/** The pipeline behind 'sq': squares the payload, and throws (the record is dropped under 'skip') for `drop`. */
function squareDropping(drop: ReadonlySet<number>) {
  return ({ id, payload }: PipelineRequest<number>) => {
    if (drop.has(payload)) throw new Error(`dropped ${String(payload)}`);
    return { id, payload: payload * payload };
  };
}

describe('pipeline services: dropped requests and virtual time', () => {
  it('answers in virtual time, on the frame of the request', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        env.registerPipelineService<number, number>('sq', (requests) =>
          requests.map(squareDropping(new Set())),
        );
        const out = env
          .fromObservable(cold('-a-b|', { a: 2, b: 3 }))
          .map(Ask)
          .toObservable();
        expectObservable(out).toBe('-a-b|', { a: '4', b: '9' });
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('a request the pipeline drops times out alone: the calls after it get their replies on time', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        env.registerPipelineService<number, number>('sq', (requests) =>
          requests.map(squareDropping(new Set([2]))),
        );
        const out = new Subject<string>();
        expectObservable(out).toBe('-a 11ms (bc|)', { a: '1', b: 'timeout', c: '9' });
        env
          .fromObservable(cold('-a-b-c|', { a: 1, b: 2, c: 3 }))
          .map(Ask)
          .sink(out);
        void env.submit();
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('forgets the waiter and the route of a timed-out request', async () => {
    await runMarbles(
      ({ env, cold, flush }) => {
        const factory = env.registerPipelineService<number, number>('sq', (requests) =>
          requests.map(squareDropping(new Set([1, 2]))),
        );
        env
          .fromObservable(cold('-a-b-c|', { a: 1, b: 2, c: 3 }))
          .map(Ask)
          .sink(() => undefined);
        void env.submit();
        flush();
        expect(env.lastJob().services[0]).to.include({ calls: 3, replies: 1, timeouts: 2, pending: 0 });
        expect(factory.routeCount).to.equal(0);
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('property: with random drops, every kept request is answered, every dropped one times out, none other is affected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 25 }), dropped: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (requests) => {
          // plain model: one call at a time (the caller awaits each reply); a kept request is answered on the
          // frame its call starts, a dropped one times out 10 frames later.
          const arrivals: number[] = [];
          let t = 0;
          for (const r of requests) arrivals.push((t += r.gap + 1));
          const expected: [number, string][] = [];
          let free = 0;
          requests.forEach((r, i) => {
            const start = Math.max(free, arrivals[i] as number);
            free = r.dropped ? start + 10 : start;
            expected.push([free, r.dropped ? 'timeout' : String(i * i)]);
          });
          const drop = new Set(requests.flatMap((r, i) => (r.dropped ? [i] : [])));
          const seen: [number, string][] = [];
          await runMarbles(
            ({ env, scheduler, flush }) => {
              env.registerPipelineService<number, number>('sq', (s) => s.map(squareDropping(drop)));
              const input = new Subject<number>();
              arrivals.forEach((at, i) =>
                scheduler.schedule(() => {
                  input.next(i);
                }, at),
              );
              scheduler.schedule(
                () => {
                  input.complete();
                },
                (arrivals.at(-1) as number) + 1,
              );
              env
                .fromObservable(input)
                .map(Ask)
                .sink((v) => {
                  seen.push([scheduler.now(), v]);
                });
              void env.submit();
              flush();
            },
            { config: { logLevel: 'silent' } },
          );
          expect(seen).to.deep.equal(expected);
        },
      ),
      { numRuns: 80 },
    );
  });
});
