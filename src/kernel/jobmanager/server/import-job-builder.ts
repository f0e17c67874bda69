import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JobModuleError } from '../../../errors/job-module-error.js';
import { toError } from '../../../errors/to-error.js';
import type { JobBuilder } from './job-builder.js';
import { formatLocation, locateModuleError } from './module-error-location.js';
import { registerTypeScriptLoader } from './typescript-loader.js';

/** The file extensions a job module may have. */
export const MODULE_EXTENSIONS: ReadonlySet<string> = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/**
 * Imports the job module at the absolute path `file` and returns its export `exportName`, which must be a
 * builder function. TypeScript modules load through tsx (registered once per process); a module is imported
 * again when its file changed (its modification time is part of the import URL). Failures are
 * `JobModuleError`s naming `label` (the path as the caller knows it) and, when known, the file, line and
 * column of the syntax error, failed import or throwing line. The JobManager server and
 * `LocalEnvironment.fromModule` (every worker of a threads job included) load modules through this one function.
 *
 * @example
 * ```ts
 * const build = await importJobBuilder('/srv/jobs/daily.ts', 'default', 'daily.ts');
 * ```
 */
export async function importJobBuilder(file: string, exportName: string, label = file): Promise<JobBuilder> {
  const url = pathToFileURL(file);
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch (e) {
    throw new JobModuleError(
      `Job module ${label} cannot be read (${toError(e).message}): pass the path (or file URL) of an existing module file`,
      { cause: e },
    );
  }
  url.search = `mtime=${String(mtimeMs)}`;
  const typeScript = TYPESCRIPT_EXTENSIONS.has(extname(file));
  const tsx = typeScript ? await registerTypeScriptLoader(file) : undefined;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeScript && tsx === undefined && code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new JobModuleError(
        `Job module ${label} is TypeScript, and tsx is not installed where the server can find it: ` +
          'run `npm install --save-dev tsx` in the job root (or next to sage-kernel), ' +
          'or compile the module to .js/.mjs',
        { cause: e },
      );
    }
    throw new JobModuleError(await loadFailure(label, file, e), { cause: e });
  }
  const builder = Object.hasOwn(namespace, exportName) ? namespace[exportName] : undefined;
  if (typeof builder !== 'function') {
    const exported = Object.keys(namespace).filter((k) => typeof namespace[k] === 'function');
    throw new JobModuleError(
      `Job module ${label} has no builder function exported as "${exportName}" ` +
        `(function exports: ${exported.length > 0 ? exported.join(', ') : 'none'}); pass the right --export`,
    );
  }
  return builder as JobBuilder;
}

/** "Job module m failed to load: file:line:col: SyntaxError: …", with a hint for a missing sage-kernel. */
async function loadFailure(modulePath: string, file: string, error: unknown): Promise<string> {
  const at = await locateModuleError(error, file);
  const e = toError(error);
  // tsx's message repeats the location on its second line: keep only what follows it.
  const reason = e.message.replace(/^Transform failed with \d+ errors?:\n.+?:\d+:\d+: ERROR: /, '');
  const name = e.name === 'Error' || e.name === 'TransformError' ? '' : `${e.name}: `;
  const missingKernel = /Cannot find package 'sage-kernel'/.test(e.message)
    ? '. Job modules resolve sage-kernel from their own folder upwards: run `npm install sage-kernel` in the ' +
      'job root (`sage job init DIR` creates a job root that has it; see docs/job-modules.md)'
    : '';
  return `Job module ${modulePath} failed to load: ${at !== undefined ? `${formatLocation(at)}: ` : ''}${name}${reason}${missingKernel}`;
}
