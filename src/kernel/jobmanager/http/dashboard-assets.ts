import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpRequestError } from '../../../errors/http-request-error.js';

/** A static file of the dashboard, ready to send. */
export interface Asset {
  readonly contentType: string;
  readonly body: Buffer;
}

const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));

/** The files the dashboard is made of, by the name they are served under; nothing else is ever read. */
const FILES: Readonly<Record<string, { readonly path: () => string; readonly contentType: string }>> = {
  'index.html': { path: () => join(DASHBOARD_DIR, 'index.html'), contentType: 'text/html; charset=utf-8' },
  'dashboard.js': {
    path: () => join(DASHBOARD_DIR, 'dashboard.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'dashboard.css': {
    path: () => join(DASHBOARD_DIR, 'dashboard.css'),
    contentType: 'text/css; charset=utf-8',
  },
  // The graph layout library, served from the installed package: the dashboard needs no network.
  'dagre.min.js': {
    path: () => join(dirname(createRequire(import.meta.url).resolve('@dagrejs/dagre')), 'dagre.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
};

/**
 * The dashboard's static files (HTML, one script, one stylesheet and the bundled dagre layout library), read
 * once from the package and kept in memory. Only the listed names are served, so no path reaches other files.
 *
 * @example
 * ```ts
 * const assets = new DashboardAssets();
 * const { contentType, body } = await assets.get('index.html');
 * ```
 */
export class DashboardAssets {
  private readonly cache = new Map<string, Promise<Asset>>();

  /**
   * The file served as `name`, or `HttpRequestError` 404 when the dashboard has no such file.
   *
   * @example
   * ```ts
   * const css = await assets.get('dashboard.css');
   * ```
   */
  get(name: string): Promise<Asset> {
    const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
    if (file === undefined) {
      return Promise.reject(
        new HttpRequestError(404, `The dashboard has no file ${JSON.stringify(name.slice(0, 100))}`),
      );
    }
    let asset = this.cache.get(name);
    if (asset === undefined) {
      asset = readFile(file.path()).then((body) => ({ contentType: file.contentType, body }));
      asset.catch(() => this.cache.delete(name));
      this.cache.set(name, asset);
    }
    return asset;
  }
}
