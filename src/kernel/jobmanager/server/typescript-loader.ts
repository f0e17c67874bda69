import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The `register()` of tsx's ESM and CommonJS APIs. */
interface TsxApi {
  register(options?: { tsconfig?: false }): unknown;
}

/** The part of tsx's package.json that says where its ESM API is. */
interface TsxManifest {
  exports?: { './esm/api'?: { import?: { default?: string } } };
}

let registeredFrom: Promise<string | undefined> | undefined;

/**
 * Makes `import()` of `.ts`, `.mts` and `.cts` files work in this process by registering tsx's ESM and
 * CommonJS loaders, once per process. tsx is looked up from the module's own folder first (a job root with
 * tsx in its `node_modules`), then from sage-kernel's. Resolves with the folder tsx was found in, or
 * `undefined` when it is not installed anywhere visible (the caller then explains how to install it).
 *
 * @example
 * ```ts
 * if ((await registerTypeScriptLoader('/srv/jobs/etl.ts')) === undefined) throw new Error('npm install tsx');
 * ```
 */
export function registerTypeScriptLoader(moduleFile: string): Promise<string | undefined> {
  registeredFrom ??= register(moduleFile);
  return registeredFrom;
}

async function register(moduleFile: string): Promise<string | undefined> {
  for (const base of [moduleFile, import.meta.url]) {
    const require = createRequire(base);
    let manifestPath: string;
    try {
      manifestPath = require.resolve('tsx/package.json');
    } catch {
      continue;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TsxManifest;
    const esmApi = manifest.exports?.['./esm/api']?.import?.default;
    if (esmApi === undefined) continue;
    const folder = dirname(manifestPath);
    (require('tsx/cjs/api') as TsxApi).register();
    // No tsconfig: the server's working directory says nothing about a job root, so its `paths` must not
    // change how job modules resolve their imports.
    ((await import(pathToFileURL(join(folder, esmApi)).href)) as TsxApi).register({ tsconfig: false });
    return folder;
  }
  return undefined;
}
