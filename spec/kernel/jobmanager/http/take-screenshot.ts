// Regenerates docs/dashboard.png (`npm run screenshot`): runs the sensor pipeline behind a JobManager HTTP
// server, opens its job page in Debian's headless Chromium and saves the page once a few polls have filled in
// the live numbers.
import { fileURLToPath } from 'node:url';
import { CHROMIUM, chromiumInstalled, launchChromium, startDemo, textUntil } from './dashboard-browser.js';

const OUT = fileURLToPath(new URL('../../../../docs/dashboard.png', import.meta.url));

if (!chromiumInstalled()) {
  console.error(
    `No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\`, then run again.`,
  );
  process.exit(1);
}
const demo = await startDemo({ intervalMs: 20 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${demo.url}/#/jobs/${demo.uuid}`);
  await page.locator('#plan-graph g.vertex').first().waitFor();
  // Wait until the job has reported errors and the rates have had a few polls to settle.
  await textUntil(page.locator('[data-card="errors"]'), (text) => text !== '0', 30_000);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  await demo.stop();
}
