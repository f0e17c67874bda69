import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import {
  CHROMIUM,
  chromiumInstalled,
  launchChromium,
  startDemo,
  textUntil,
  type Demo,
} from './dashboard-browser.js';

const TOKEN = 'dashboard-spec-token';

async function cellText(page: Page, operator: string, field: string): Promise<string> {
  return page.locator(`#operator-rows tr[data-operator="${operator}"] td[data-field="${field}"]`).innerText();
}

describe('dashboard (in Debian Chromium, headless)', function () {
  this.timeout(30_000);
  let demo: Demo | undefined;
  let browser: Browser | undefined;

  before(function () {
    if (!chromiumInstalled()) {
      console.log(
        `    SKIPPED: no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\` to run the dashboard's browser spec`,
      );
      this.skip();
    }
  });

  afterEach(async () => {
    await browser?.close();
    await demo?.stop();
    browser = undefined;
    demo = undefined;
  });

  it('asks for the token, draws the plan, shows live numbers, pauses, takes a savepoint and continues the job', async () => {
    demo = await startDemo({ token: TOKEN, intervalMs: 10 });
    const { uuid, jobManager } = demo;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${demo.url}/#/jobs/${uuid}`);

    await page.locator('#token-dialog').waitFor({ state: 'visible' });
    await page.fill('#token-input', TOKEN);
    await page.click('#token-submit');

    // The physical plan: one box per vertex, fused operators inside, partitioning on the edges.
    await page.locator('#plan-graph g.vertex').first().waitFor();
    const status = jobManager.getJobStatus(uuid);
    if (status.status === 'not_found') throw new Error('the demo job is gone');
    expect(await page.locator('#plan-graph g.vertex').count()).to.equal(status.plan.length);
    expect(await page.locator('#plan-graph g.edge').count()).to.equal(
      status.plan.reduce((n, v) => n + v.inputs.length, 0),
    );
    expect(
      await page.locator('#plan-graph g.vertex[data-vertex="0"] text').allTextContents(),
    ).to.include.members(['readings', '↳ calibrate']);
    expect(await page.locator('#plan-graph g.vertex[data-vertex="1"] text.title').textContent()).to.contain(
      '×2',
    );
    expect(await page.locator('#plan-graph g.edge text').allTextContents()).to.include('hash');
    expect(await page.locator('#plan-graph rect.box').first().getAttribute('fill')).to.match(/^hsl\(/);

    // Live numbers: the source's count goes up between two polls, and a rate appears.
    await page.locator('#operator-rows tr[data-operator="readings"]').waitFor();
    const before = await cellText(page, 'readings', 'out');
    const outCell = page.locator('#operator-rows tr[data-operator="readings"] td[data-field="out"]');
    await textUntil(outCell, (text) => text !== before);
    await textUntil(page.locator('[data-card="in-rate"]'), (text) => /\d/.test(text));
    expect(await cellText(page, 'readings', 'in-flight')).to.match(/^\d+$/);
    expect(await page.locator('#job-status').innerText()).to.equal('running');

    // Pause, then continue, from the buttons.
    await page.click('button[data-action="pause"]');
    await page.locator('#job-status[data-status="paused"]').waitFor();
    expect(jobManager.getJobStatus(uuid).status).to.equal('paused');
    expect(await page.locator('button[data-action="pause"]').isDisabled()).to.equal(true);
    await page.click('button[data-action="savepoint"]');
    await page.locator('#action-message a[download]').waitFor();
    expect(await page.locator('#action-message').innerText()).to.match(/^Savepoint taken/);
    await page.click('button[data-action="continue"]');
    await page.locator('#job-status[data-status="running"]').waitFor();
    expect(jobManager.getJobStatus(uuid).status).to.equal('running');

    // The job list links back to it.
    await page.click('a[href="#/"] >> nth=0');
    await page.locator(`#job-rows tr[data-job="${uuid}"]`).waitFor();
    expect(await page.locator(`#job-rows tr[data-job="${uuid}"] .badge`).innerText()).to.equal('running');
    expect(pageErrors).to.deep.equal([]);
  });
});
