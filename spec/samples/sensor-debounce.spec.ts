import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { main, settledReadings, type Reading } from '../../samples/sensor-debounce.js';
import { runMarbles } from '../../src/testing/run-marbles.js';
import { TestEnvironment } from '../../src/testing/test-environment.js';

const r: Record<string, Reading> = {
  a: { sensor: 'north', value: 1 },
  b: { sensor: 'north', value: 2 },
  c: { sensor: 'south', value: 7 },
  d: { sensor: 'north', value: 3 },
};

describe('sample: sensor-debounce', () => {
  it('emits each sensor’s last reading once it was quiet for 10 ms (virtual time)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = settledReadings(env, hot('-a-b-c 20ms d-|', r), 10).toObservable();
      expectObservable(out).toBe('------------- x-y 12ms (z|)', {
        x: 'north#1=2',
        y: 'south#1=7',
        z: 'north#2=3',
      });
    });
  });

  it('runs on the application’s own TestScheduler (rxjs is a peer dependency)', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    scheduler.run(({ cold, expectObservable }) => {
      const env = new TestEnvironment(scheduler, 'app-scheduler');
      const out = settledReadings(env, cold('ab 5ms c|', r), 3).toObservable();
      expectObservable(out).toBe('----x---(y|)', { x: 'north#1=2', y: 'south#1=7' });
    });
  });

  it('flushes each sensor’s last reading at the end of a batch (real run)', async () => {
    expect(await main()).to.deep.equal(['north#1=2', 'south#1=7']);
  });
});
