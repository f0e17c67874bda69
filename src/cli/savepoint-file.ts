import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SavepointFileError } from '../errors/savepoint-file-error.js';
import { snapshotShapeProblem } from '../kernel/jobmanager/protocol/snapshot-shape.js';
import type { JobSnapshot } from '../kernel/runtime/state/job-snapshot.js';

/**
 * Reads a savepoint written by `sage job savepoint --out FILE` (or any JSON `JobSnapshot`). A file that cannot
 * be read, is not JSON or has no savepoint's shape fails with `SavepointFileError` (operation `'read'`).
 *
 * @example
 * ```ts
 * const restore = await readSavepointFile('before-upgrade.json');
 * await client.submitJob({ module: 'counts.mjs', restore });
 * ```
 */
export async function readSavepointFile(file: string): Promise<JobSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SavepointFileError('read', file, reasonOf(e), { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SavepointFileError('read', file, `it is not JSON (${reasonOf(e)})`, { cause: e });
  }
  const problem = snapshotShapeProblem(value);
  if (problem !== undefined) throw new SavepointFileError('read', file, `it is not a savepoint: ${problem}`);
  return value as JobSnapshot;
}

/**
 * A savepoint file being written atomically: `create` opens a temporary file beside the target at once (so an
 * unwritable place fails before any request is sent), `commit` writes the savepoint into it and renames it over
 * the target, so the target is never seen half-written; `discard` removes the temporary file.
 *
 * @example
 * ```ts
 * const out = await SavepointFile.create('sp.json');
 * try { await out.commit(await client.triggerSavepoint(uuid)); } finally { await out.discard(); }
 * ```
 */
export class SavepointFile {
  private done = false;

  private constructor(
    /** The target path. */
    readonly file: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  /** Opens the temporary file beside `file`; fails with `SavepointFileError` (operation `'write'`). */
  static async create(file: string): Promise<SavepointFile> {
    const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      return new SavepointFile(file, temp, await open(temp, 'wx', 0o600));
    } catch (e) {
      throw new SavepointFileError('write', file, reasonOf(e), { cause: e });
    }
  }

  /** Writes the savepoint as JSON, flushes it and renames it over the target; resolves with its size in bytes. */
  async commit(savepoint: JobSnapshot): Promise<number> {
    const text = `${JSON.stringify(savepoint)}\n`;
    try {
      await this.handle.writeFile(text, 'utf8');
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.file);
      this.done = true;
    } catch (e) {
      throw new SavepointFileError('write', this.file, reasonOf(e), { cause: e });
    }
    return Buffer.byteLength(text, 'utf8');
  }

  /** Removes the temporary file unless `commit` renamed it; never throws. */
  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true }).catch(() => undefined);
  }
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
