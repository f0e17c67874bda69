import { open, rm, type FileHandle } from 'node:fs/promises';

/**
 * Writes a checkpoint's JSON to a file piece by piece as it is produced, in batches of about `batchChars`
 * characters, so that the whole text (megabytes for a large keyed state) is never held, joined or converted
 * to bytes at once: each of those would be one long pause of the job (fresh memory for a large string or
 * buffer), and the pieces held until then would be copied by every young-generation collection meanwhile.
 * Writes happen in order, one after the other; the first error is reported by `close()`.
 *
 * @example
 * ```ts
 * const out = await CheckpointFileWriter.open('.checkpoint-00000001.json.tmp');
 * await stringifyInSlices(snapshot, scheduler, (piece) => out.write(piece));
 * await out.close(); // everything written, file closed
 * ```
 */
export class CheckpointFileWriter {
  private batch: string[] = [];
  private batchLength = 0;
  /** The writes in flight, in order. */
  private writing: Promise<void> = Promise.resolve();
  private error: unknown = undefined;
  private failed = false;

  private constructor(
    private readonly handle: FileHandle,
    /** The file's path. */
    readonly path: string,
    private readonly batchChars: number,
  ) {}

  /** Creates (or truncates) the file at `path`. */
  static async open(path: string, batchChars = 1 << 16): Promise<CheckpointFileWriter> {
    return new CheckpointFileWriter(await open(path, 'w'), path, batchChars);
  }

  /** Appends `piece` (written once its batch is full, or on `close()`). */
  write(piece: string): void {
    this.batch.push(piece);
    this.batchLength += piece.length;
    if (this.batchLength >= this.batchChars) this.flush();
  }

  /** Writes what is left, waits for every write and closes the file; rejects with the first write error. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    await this.handle.close();
    if (this.failed) throw this.error;
  }

  /** Closes the file, whatever happened, and deletes it. */
  async discard(): Promise<void> {
    this.batch = [];
    await this.writing;
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const text = this.batch.join('');
    this.batch = [];
    this.batchLength = 0;
    this.writing = this.writing.then(async () => {
      if (this.failed) return;
      try {
        await this.handle.write(text);
      } catch (e) {
        this.failed = true;
        this.error = e;
      }
    });
  }
}
