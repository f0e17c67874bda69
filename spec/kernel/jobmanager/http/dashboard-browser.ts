import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { JobManagerHttpServer } from '../../../../src/kernel/jobmanager/http/job-manager-http-server.js';

/** Debian's Chromium: the browser the dashboard is tested with (browser downloads are not reachable). */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, sandbox-free and quiet: no GPU, no network of its own, no first-run or background work. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const JOBS = fileURLToPath(new URL('./fixtures/jobs', import.meta.url));

/**
 * Launches Debian's Chromium headless through playwright-core.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * ```
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * True when Debian's Chromium is installed (`apt-get install -y chromium`).
 *
 * @example
 * ```ts
 * if (!chromiumInstalled()) this.skip();
 * ```
 */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

/** A JobManager HTTP server running the slow sensor pipeline. */
export interface Demo {
  readonly server: JobManagerHttpServer;
  readonly jobManager: JobManager;
  readonly url: string;
  readonly uuid: string;
  stop(): Promise<void>;
}

/**
 * Starts a JobManager HTTP server (with `token` when given) and submits the sensor pipeline through it, a
 * reading every `intervalMs`.
 *
 * @example
 * ```ts
 * const demo = await startDemo({ intervalMs: 20 });
 * await page.goto(`${demo.url}/#/jobs/${demo.uuid}`);
 * ```
 */
export async function startDemo(options: { token?: string; intervalMs?: number } = {}): Promise<Demo> {
  const jobManager = new JobManager();
  const server = new JobManagerHttpServer({
    port: 0,
    jobRoots: [JOBS],
    jobManager,
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  const { url } = await server.start();
  const response = await fetch(`${url}/jobs`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(options.token !== undefined ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ module: 'sensor-pipeline.ts', args: { intervalMs: options.intervalMs ?? 20 } }),
  });
  const { job_uuid: uuid } = (await response.json()) as { job_uuid: string };
  return {
    server,
    jobManager,
    url,
    uuid,
    async stop() {
      await server.stop();
      for (const job of jobManager.listJobs()) {
        if (job.status === 'running' || job.status === 'paused') jobManager.stopJob(job.uuid);
      }
    },
  };
}

/**
 * Polls the text of `locator` (from the test process: the dashboard's CSP forbids evaluating strings in the
 * page) until `accept` holds; rejects after `timeoutMs` naming the last text seen.
 *
 * @example
 * ```ts
 * await textUntil(page.locator('[data-card="errors"]'), (t) => t !== '0');
 * ```
 */
export async function textUntil(
  locator: Locator,
  accept: (text: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await locator.textContent()) ?? '';
    if (accept(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`textUntil: the text stayed ${JSON.stringify(text)} for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
