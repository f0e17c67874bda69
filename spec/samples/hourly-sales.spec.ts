import { expect } from 'chai';
import {
  correctionLines,
  exportLines,
  hourlySales,
  main,
  parseSale,
  type HourlySales,
} from '../../samples/hourly-sales.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

const HOUR = 3_600_000;
const byProductAndHour = (a: HourlySales, b: HourlySales): number =>
  a.product.localeCompare(b.product) || a.hour - b.hour;

const expectedTotals: HourlySales[] = [
  { product: 'coffee', hour: 0, total: 5 },
  { product: 'coffee', hour: HOUR, total: 5 },
  { product: 'tea', hour: 0, total: 5 },
  { product: 'tea', hour: HOUR, total: 7 },
  { product: 'tea', hour: 3 * HOUR, total: 1 },
];

describe('sample: hourly-sales', () => {
  it('sums per product and hour; out-of-order lines within 15 minutes count, later ones go to the late output (virtual time)', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      // the export at 0, the correction at 500 (watermarks every 200 ms of virtual time)
      const letters = 'abcdefg';
      const values: Record<string, string> = { x: correctionLines[0] ?? '' };
      exportLines.forEach((line, i) => (values[letters[i] ?? ''] = line));
      const { late } = hourlySales(env, cold(`(${letters}) 495ms x|`, values));
      expectObservable(late.toObservable()).toBe('504ms x|', { x: parseSale(correctionLines[0] ?? '') });
    });
  });

  it('runs for real: hourly totals, and the correction line reported late', async () => {
    const { totals, late } = await main();
    expect(totals.sort(byProductAndHour)).to.deep.equal(expectedTotals);
    expect(late).to.deep.equal(correctionLines.map(parseSale));
  });
});
