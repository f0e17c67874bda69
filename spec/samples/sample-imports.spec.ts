import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SAMPLES = join(process.cwd(), 'samples');

describe('samples', () => {
  it('import the engine as users do (`sage-kernel`), never from the source tree', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.ts'));
    expect(files.length).to.be.greaterThan(5);
    const offenders = files.filter((f) => /from '\.\.\/src\//.test(readFileSync(join(SAMPLES, f), 'utf8')));
    expect(offenders).to.deep.equal([]);
  });
});
