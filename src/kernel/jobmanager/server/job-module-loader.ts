import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JobModuleError } from '../../../errors/job-module-error.js';
import { ModuleNotAllowedError } from '../../../errors/module-not-allowed-error.js';
import { UsageError } from '../../../errors/usage-error.js';
import { toError } from '../../../errors/to-error.js';
import type { JobBuilder } from './job-builder.js';
import { formatLocation, locateModuleError } from './module-error-location.js';
import { registerTypeScriptLoader } from './typescript-loader.js';

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/**
 * Finds and imports job modules, only from inside the job roots it was given. A relative module path is
 * looked up in each root in order; an absolute one must lie inside a root. Paths are resolved with
 * `realpath`, so neither `..` nor a symbolic link can lead outside the roots. Only module files (`.js`,
 * `.mjs`, `.cjs`, `.ts`, `.mts`, `.cts`) load; TypeScript ones through tsx, when it is installed in the job
 * root or next to sage-kernel. A module is imported again when its file changed (its modification time is
 * part of the import URL), so editing a job module needs no server restart. A module that fails to load is
 * reported with the file, line and column of its syntax error, failed import or throwing line.
 *
 * @example
 * ```ts
 * const loader = await JobModuleLoader.create(['./jobs']);
 * const build = await loader.load('word-count.mjs', 'default');
 * ```
 */
export class JobModuleLoader {
  private constructor(readonly roots: readonly string[]) {}

  /**
   * Resolves the roots (each must be an existing directory) and returns a loader over them.
   *
   * @example
   * ```ts
   * const loader = await JobModuleLoader.create(['/srv/sage/jobs']);
   * ```
   */
  static async create(roots: readonly string[]): Promise<JobModuleLoader> {
    const real: string[] = [];
    for (const root of roots) {
      let path: string;
      try {
        path = await realpath(resolve(root));
      } catch {
        throw new UsageError(
          `Job root ${root} does not exist: create it or pass an existing directory to --job-root`,
        );
      }
      if (!(await stat(path)).isDirectory()) {
        throw new UsageError(`Job root ${root} is not a directory: pass a directory to --job-root`);
      }
      real.push(path);
    }
    return new JobModuleLoader(real);
  }

  /**
   * The real path of the module file `modulePath` names, or a `ModuleNotAllowedError` saying why it cannot be
   * used (no roots configured, outside every root, missing, not a module file).
   *
   * @example
   * ```ts
   * await loader.resolve('etl/daily.mjs'); // '/srv/sage/jobs/etl/daily.mjs'
   * ```
   */
  async resolve(modulePath: string): Promise<string> {
    if (this.roots.length === 0) {
      throw new ModuleNotAllowedError(
        modulePath,
        'this server has no job roots; start it with --job-root DIR and put job modules there',
      );
    }
    if (modulePath.includes('\0'))
      throw new ModuleNotAllowedError(modulePath, 'the path contains a NUL byte');
    const candidates = isAbsolute(modulePath)
      ? [modulePath]
      : this.roots.map((root) => resolve(root, modulePath));
    let outside = false;
    for (const candidate of candidates) {
      let real: string;
      try {
        real = await realpath(candidate);
      } catch {
        continue;
      }
      if (!this.roots.some((root) => isInside(real, root))) {
        outside = true;
        continue;
      }
      if (!(await stat(real)).isFile() || !MODULE_EXTENSIONS.has(extname(real))) {
        throw new ModuleNotAllowedError(
          modulePath,
          `it is not a module file (allowed: ${[...MODULE_EXTENSIONS].join(', ')})`,
        );
      }
      return real;
    }
    throw new ModuleNotAllowedError(
      modulePath,
      outside
        ? 'it resolves outside the job roots of this server; put the module inside a job root'
        : 'no such file in the job roots of this server; paths are relative to a job root',
    );
  }

  /**
   * Imports the module `modulePath` and returns its export `exportName`, which must be a builder function.
   *
   * @example
   * ```ts
   * const build = await loader.load('daily.mjs', 'default');
   * await build(env, { day: '2024-01-01' });
   * ```
   */
  async load(modulePath: string, exportName: string): Promise<JobBuilder> {
    const file = await this.resolve(modulePath);
    const url = pathToFileURL(file);
    url.search = `mtime=${(await stat(file)).mtimeMs}`;
    const typeScript = TYPESCRIPT_EXTENSIONS.has(extname(file));
    const tsx = typeScript ? await registerTypeScriptLoader(file) : undefined;
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(url.href)) as Record<string, unknown>;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeScript && tsx === undefined && code === 'ERR_UNKNOWN_FILE_EXTENSION') {
        throw new JobModuleError(
          `Job module ${modulePath} is TypeScript, and tsx is not installed where the server can find it: ` +
            'run `npm install --save-dev tsx` in the job root (or next to sage-kernel), ' +
            'or compile the module to .js/.mjs',
          { cause: e },
        );
      }
      throw new JobModuleError(await loadFailure(modulePath, file, e), { cause: e });
    }
    const builder = Object.hasOwn(namespace, exportName) ? namespace[exportName] : undefined;
    if (typeof builder !== 'function') {
      const exported = Object.keys(namespace).filter((k) => typeof namespace[k] === 'function');
      throw new JobModuleError(
        `Job module ${modulePath} has no builder function exported as "${exportName}" ` +
          `(function exports: ${exported.length > 0 ? exported.join(', ') : 'none'}); pass the right --export`,
      );
    }
    return builder as JobBuilder;
  }
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

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
