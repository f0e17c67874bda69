import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFileWriter } from '../../../src/kernel/jobmanager/checkpoint-store-writer.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('CheckpointFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sage-checkpoint-writer-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes full batches while pieces still come (the text is never held whole), all in order on close', async () => {
    const path = join(dir, 'out.json');
    const out = await CheckpointFileWriter.open(path, 10);
    const pieces = ['[', '"abcdef"', ',', '"ghijklmnop"', ',', '12345', ','];
    for (const piece of pieces) out.write(piece);
    await waitFor(() => statSync(path).size >= 20, { what: 'the first batches on disk before close()' });
    out.write('"end"]');
    await out.close();
    expect(readFileSync(path, 'utf8')).to.equal([...pieces, '"end"]'].join(''));
  });

  it('close() rejects with the first write error', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const out = await CheckpointFileWriter.open('/dev/full', 4);
    out.write('more than four characters');
    let error: unknown;
    await out.close().catch((e: unknown) => {
      error = e;
    });
    expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('ENOSPC');
  });

  it('discard() closes and deletes the file', async () => {
    const path = join(dir, 'out.json.tmp');
    const out = await CheckpointFileWriter.open(path, 4);
    out.write('some text');
    await out.discard();
    expect(existsSync(path)).to.equal(false);
  });
});
