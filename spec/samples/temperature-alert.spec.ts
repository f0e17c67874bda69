import { expect } from 'chai';
import { merge } from 'rxjs';
import { main, temperatureAlerts, type Reading } from '../../samples/temperature-alert.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

const r: Record<string, Reading> = {
  k: { sensor: 'kitchen', celsius: 21 },
  c: { sensor: 'cellar', celsius: 12 },
  h: { sensor: 'cellar', celsius: 35 },
};

describe('sample: temperature-alert', () => {
  it('alerts once a sensor sent nothing for 10 ms of processing time, and side-outputs hot readings (virtual time)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const { alerts, hot: tooHot } = temperatureAlerts(
        env,
        hot('k-c--k--h----------c---------------|', r),
        10,
        30,
      );
      // kitchen last reported at 5 → silent at 15; cellar at 8 → silent at 18; cellar again at 19 → at 29
      // (each toObservable() subscription runs the job once)
      expectObservable(merge(alerts.toObservable(), tooHot.toObservable())).toBe(
        '8ms h 6ms k 2ms c 10ms d 5ms |',
        {
          h: 'cellar too hot: 35 °C',
          k: 'kitchen silent since 5',
          c: 'cellar silent since 8',
          d: 'cellar silent since 19',
        },
      );
    });
  });

  it('runs for real: the kitchen goes silent, the cellar reports one hot reading', async () => {
    const out = await main();
    expect(out).to.have.members(['kitchen silent since …', 'cellar too hot: 31 °C']);
    expect(out).to.have.length(2);
  });
});
