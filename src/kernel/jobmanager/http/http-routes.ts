import { HttpRequestError } from '../../../errors/http-request-error.js';

/** What a route of the REST API does. */
export type RouteOperation =
  | 'dashboard'
  | 'asset'
  | 'health'
  | 'openapi'
  | 'metrics'
  | 'listJobs'
  | 'submitJob'
  | 'getJob'
  | 'getJobMetrics'
  | 'pauseJob'
  | 'continueJob'
  | 'stopJob'
  | 'savepointJob'
  | 'deleteJob';

/** One route: method, path template (OpenAPI style: `{id}` is a parameter) and whether it needs the token. */
export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly operation: RouteOperation;
  /** True when the route answers without the token (health and the dashboard's static files). */
  readonly public: boolean;
}

/**
 * Every route the JobManager's HTTP server serves. The OpenAPI document lists exactly these (a spec checks
 * both ways); `/dashboard/{file}` serves the dashboard's static files, which hold no job data.
 *
 * @example
 * ```ts
 * const open = HTTP_ROUTES.filter((r) => r.public).map((r) => r.path); // ['/', '/dashboard/{file}', '/health']
 * ```
 */
export const HTTP_ROUTES: readonly HttpRoute[] = [
  { method: 'GET', path: '/', operation: 'dashboard', public: true },
  { method: 'GET', path: '/dashboard/{file}', operation: 'asset', public: true },
  { method: 'GET', path: '/health', operation: 'health', public: true },
  { method: 'GET', path: '/openapi.json', operation: 'openapi', public: false },
  { method: 'GET', path: '/metrics', operation: 'metrics', public: false },
  { method: 'GET', path: '/jobs', operation: 'listJobs', public: false },
  { method: 'POST', path: '/jobs', operation: 'submitJob', public: false },
  { method: 'GET', path: '/jobs/{id}', operation: 'getJob', public: false },
  { method: 'DELETE', path: '/jobs/{id}', operation: 'deleteJob', public: false },
  { method: 'GET', path: '/jobs/{id}/metrics', operation: 'getJobMetrics', public: false },
  { method: 'POST', path: '/jobs/{id}/pause', operation: 'pauseJob', public: false },
  { method: 'POST', path: '/jobs/{id}/continue', operation: 'continueJob', public: false },
  { method: 'POST', path: '/jobs/{id}/stop', operation: 'stopJob', public: false },
  { method: 'POST', path: '/jobs/{id}/savepoint', operation: 'savepointJob', public: false },
];

/** A route matched to a request, with its path parameters decoded. */
export interface MatchedRoute {
  readonly route: HttpRoute;
  readonly params: Readonly<Record<string, string>>;
}

const MAX_PARAM_LENGTH = 256;

/**
 * Finds the route of `method` and `pathname` (without the query). Throws `HttpRequestError` 404 for a path no
 * route has, 405 (naming the allowed methods) for a known path with another method, 400 for a parameter that
 * is not valid percent-encoding or longer than 256 characters.
 *
 * @example
 * ```ts
 * const { route, params } = matchRoute('POST', '/jobs/3f2a…/pause'); // params.id === '3f2a…'
 * ```
 */
export function matchRoute(method: string, pathname: string): MatchedRoute {
  const segments = pathname.split('/');
  const allowed: string[] = [];
  for (const route of HTTP_ROUTES) {
    const params = matchPath(route.path.split('/'), segments);
    if (params === undefined) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length > 0) {
    throw new HttpRequestError(405, `${method} ${pathname} is not supported: use ${allowed.join(' or ')}`);
  }
  throw new HttpRequestError(404, `No route ${pathname}: see GET /openapi.json for the routes`);
}

function matchPath(
  template: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] ?? '';
    const s = segments[i] ?? '';
    if (t.startsWith('{') && t.endsWith('}')) {
      if (s.length === 0) return undefined;
      params[t.slice(1, -1)] = decodeParam(s);
    } else if (t !== s) {
      return undefined;
    }
  }
  return params;
}

function decodeParam(segment: string): string {
  let value: string;
  try {
    value = decodeURIComponent(segment);
  } catch {
    throw new HttpRequestError(
      400,
      `Path segment ${JSON.stringify(segment.slice(0, 100))} is not valid percent-encoding`,
    );
  }
  if (value.length > MAX_PARAM_LENGTH) {
    throw new HttpRequestError(400, `Path parameter is longer than ${MAX_PARAM_LENGTH} characters`);
  }
  return value;
}
