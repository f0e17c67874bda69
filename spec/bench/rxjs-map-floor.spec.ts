import { expect } from 'chai';
import { rxjsMapFloorRow } from './rxjs-map-floor.js';

describe('rxjs-map-floor bench', () => {
  it("times RxJS's map fed directly against a plain call and states the difference per record", async () => {
    const row = await rxjsMapFloorRow(500, 2);
    expect(row).to.include({ unit: 'record', units: 500, baselineUnits: 500 });
    expect(row.title).to.contain("RxJS's map(f) alone");
    expect(row.baseline).to.equal('the same loop calling f → tally');
    expect(row.ms).to.be.above(0);
    expect(row.ratio).to.be.above(0);
    expect(row.note).to.match(/RxJS's map adds -?\d+\.\d ns\/record over a plain call/);
  });
});
