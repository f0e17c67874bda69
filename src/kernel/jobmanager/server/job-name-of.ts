/**
 * The name a job built from a module gets when none is given: the module file's base name without its
 * extension (`'job'` when that leaves nothing).
 *
 * @example
 * ```ts
 * jobNameOf('etl/daily.ts'); // 'daily'
 * ```
 */
export function jobNameOf(modulePath: string): string {
  const base = modulePath.split(/[\\/]/).pop() ?? modulePath;
  const name = base.replace(/\.[cm]?[jt]s$/, '');
  return name.length > 0 ? name : 'job';
}
