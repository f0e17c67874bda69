/** What a spec sees of one HTTP answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly body: Record<string, unknown>;
}

/** Options of one {@link call}. */
export interface CallOptions {
  readonly method?: string;
  readonly token?: string;
  /** Sent as JSON unless it is a string (then sent as is). */
  readonly body?: unknown;
}

/**
 * One HTTP request to a JobManager HTTP server, for specs.
 *
 * @example
 * ```ts
 * const { status, body } = await call(url, '/jobs', { token: 's3cret' });
 * ```
 */
export async function call(base: string, path: string, options: CallOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the spec reads `text`
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}
