import { JobManagerHttpServer, type JobManagerHttpServerOptions } from './job-manager-http-server.js';

/**
 * Creates a `JobManagerHttpServer` with `options` and starts it; resolves with the running server (its
 * `address.url` is where the dashboard is).
 *
 * @example
 * ```ts
 * const http = await startHttpServer({ port: 0, jobManager: env.jobManager });
 * console.log(`open ${http.address?.url}/`);
 * ```
 */
export async function startHttpServer(
  options: JobManagerHttpServerOptions = {},
): Promise<JobManagerHttpServer> {
  const server = new JobManagerHttpServer(options);
  await server.start();
  return server;
}
