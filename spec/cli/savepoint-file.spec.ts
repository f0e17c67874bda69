import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSavepointFile, SavepointFile } from '../../src/cli/savepoint-file.js';
import { SavepointFileError } from '../../src/errors/savepoint-file-error.js';
import type { JobSnapshot } from '../../src/kernel/runtime/state/job-snapshot.js';

const SAVEPOINT: JobSnapshot = { job: 'j', takenAt: 't', operators: { count: [{ fields: { n: 1 } }] } };

describe('savepoint files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sage-savepoint-file-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces an existing file only on commit, through a temporary file beside it', async () => {
    const file = join(dir, 'sp.json');
    await writeFile(file, 'old');
    const out = await SavepointFile.create(file);
    const files = await readdir(dir);
    expect(files).to.have.length(2);
    expect(files.find((f) => f !== 'sp.json')).to.match(/^\.sp\.json\.[0-9a-f]+\.tmp$/);
    expect(await readFile(file, 'utf8')).to.equal('old');
    const bytes = await out.commit(SAVEPOINT);
    await out.discard();
    expect(await readdir(dir)).to.deep.equal(['sp.json']);
    const text = await readFile(file, 'utf8');
    expect(Buffer.byteLength(text)).to.equal(bytes);
    expect(await readSavepointFile(file)).to.deep.equal(SAVEPOINT);
  });

  it('leaves the target untouched and no temporary file when discarded', async () => {
    const file = join(dir, 'sp.json');
    await writeFile(file, 'old');
    const out = await SavepointFile.create(file);
    await out.discard();
    expect(await readdir(dir)).to.deep.equal(['sp.json']);
    expect(await readFile(file, 'utf8')).to.equal('old');
  });

  it('fails with SavepointFileError naming the file and the operation', async () => {
    const error = await SavepointFile.create(join(dir, 'missing', 'sp.json')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SavepointFileError);
    expect((error as SavepointFileError).operation).to.equal('write');
    expect((error as Error).message)
      .to.contain('Cannot write savepoint file')
      .and.to.contain('writable directory');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"operators": {"count": 1}}');
    const read = await readSavepointFile(bad).catch((e: unknown) => e);
    expect((read as SavepointFileError).operation).to.equal('read');
    expect((read as Error).message)
      .to.contain(`Cannot use savepoint file ${bad}: it is not a savepoint`)
      .and.to.contain('sage job savepoint <uuid> --out FILE');
  });
});
