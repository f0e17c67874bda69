import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The `version` of sage-kernel's own package.json (found next to `src/` or `dist/`), as `sage --version`
 * prints it; `'unknown'` when the file cannot be read.
 *
 * @example
 * ```ts
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
