import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JsonValue } from './protocol/messages.js';

/**
 * Where a job's code comes from: the job module, the export and the JSON `args` its builder ran with. Jobs
 * built inline in a script have none, and run only in this thread. A backend beyond one thread starts each of
 * its workers from the origin: each imports the same module and builds the same plan.
 *
 * @example
 * ```ts
 * const env = await LocalEnvironment.fromModule('./jobs/etl.ts', { args: { day: 1 } });
 * env.origin; // { module: 'file:///…/jobs/etl.ts', exportName: 'default', args: { day: 1 }, moduleHash: '9f…' }
 * ```
 */
export interface JobOrigin {
  /** File URL of the job module. */
  readonly module: string;
  /** The export holding the builder (`'default'` unless named). */
  readonly exportName: string;
  /** The JSON arguments the builder received. */
  readonly args: JsonValue | undefined;
  /** SHA-256 (hex) of the module file, part of the plan fingerprint. */
  readonly moduleHash: string;
}

/**
 * SHA-256 (hex) of a module file's bytes.
 *
 * @example
 * ```ts
 * const hash = await hashModuleFile('/srv/jobs/etl.ts');
 * ```
 */
export async function hashModuleFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}
