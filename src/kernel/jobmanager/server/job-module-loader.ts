import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ModuleNotAllowedError } from '../../../errors/module-not-allowed-error.js';
import { UsageError } from '../../../errors/usage-error.js';
import { importJobBuilder, MODULE_EXTENSIONS } from './import-job-builder.js';
import type { JobBuilder } from './job-builder.js';

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
    return importJobBuilder(await this.resolve(modulePath), exportName, modulePath);
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
