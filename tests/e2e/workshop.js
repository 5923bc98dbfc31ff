// Drive the workbook's widgets in a real JupyterLab, as a consultant in a workshop would.
// Usage: node workshop.js <lab base url> <token>; prints one JSON line with what it saw.
const { chromium } = require('playwright-core');

const [base, token] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

async function runAll(page, notebook) {
  await page.goto(`${base}/lab/tree/notebooks/${notebook}?token=${token}`);
  const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current', { hasText: notebook });
  await tab.waitFor({ timeout: 90000 });
  const panel = page.locator(`[id="${await tab.getAttribute('data-id')}"]`);  // this notebook's panel only
  await panel.locator('.jp-Cell').first().waitFor({ timeout: 90000 });
  for (let attempt = 0; attempt < 10; attempt++) {  // the kernel may still be starting: retry until cells run
    await panel.locator('.jp-Cell').first().click();  // make this notebook the one the Run menu acts on
    await page.locator('.jp-StatusBar-TextItem', { hasText: 'Idle' }).first().waitFor({ timeout: 90000 });
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    try {
      await panel.locator('.jp-InputPrompt', { hasText: /\[(\*|\d+)\]/ }).first().waitFor({ timeout: 5000 });
      return panel;
    } catch (e) { /* not started yet */ }
  }
  throw new Error(`could not run ${notebook}`);
}

// the explorer's status: its update number and duration ("3|88 ms"); the number tells two updates of
// the same duration apart
// (of the last explorer on the page, or of explorer number `index`)
async function lastTiming(panel, index = -1) {
  const status = panel.locator('.widget-html .cx-status');
  const n = await status.count();
  if (!n || index >= n) return null;
  const last = status.nth(index < 0 ? n - 1 : index);
  return `${await last.getAttribute('data-update')}|${await last.textContent()}`;
}

// the duration of the next update after `before`, waiting at most 60 s
async function changed(panel, before, index = -1) {
  for (let i = 0; i < 600; i++) {
    const now = await lastTiming(panel, index);
    if (now && now !== before) return now.split('|')[1];
    await panel.page().waitForTimeout(100);
  }
  return null;
}

let page;
(async () => {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const seen = {};

  let panel = await runAll(page, '01_current_state.ipynb');
  const channel = panel.locator('.widget-dropdown', { hasText: 'Kanal' }).locator('select');
  await channel.waitFor({ timeout: 120000 });
  await panel.locator('.widget-html .cx-status').first().waitFor({ timeout: 60000 });
  seen.plots_01 = await panel.locator('.js-plotly-plot').count();
  const before01 = await lastTiming(panel);
  await channel.selectOption({ label: 'E-post' });
  seen.update_01 = await changed(panel, before01);

  panel = await runAll(page, '02_desired_state.ipynb');
  const nps = panel.locator('.widget-text', { hasText: /^NPS$/ }).locator('input');
  await nps.waitFor({ timeout: 120000 });
  await panel.locator('.widget-html .cx-status').first().waitFor({ timeout: 60000 });
  seen.plots_02 = await panel.locator('.js-plotly-plot').count();
  const before02 = await lastTiming(panel);
  await nps.fill('33');
  await nps.press('Enter');
  seen.update_02 = await changed(panel, before02);
  seen.sliders_02 = await panel.locator('.widget-hslider').count();

  panel = await runAll(page, '03_insight.ipynb');
  const theme = panel.locator('.widget-dropdown', { hasText: 'Tema' }).locator('select');
  await theme.waitFor({ timeout: 120000 });
  await panel.locator('.widget-html .cx-status').first().waitFor({ timeout: 60000 });
  seen.plots_03 = await panel.locator('.js-plotly-plot').count();
  const before03 = await lastTiming(panel);
  await theme.selectOption({ label: 'Avbrott och kvalitet' });
  seen.update_03 = await changed(panel, before03);
  const verbatims = panel.locator('.widget-output table.cx-table').last();
  seen.verbatims_03 = await verbatims.locator('tbody tr').count();
  seen.verbatim_text_03 = await verbatims.innerText();

  panel = await runAll(page, '06_unnecessary_demand.ipynb');
  const reason = panel.getByLabel(/^var är min faktura \(/);  // the editor's, not an option of the explorer's
  await reason.waitFor({ timeout: 120000 });
  await panel.locator('.widget-html .cx-status').nth(1).waitFor({ timeout: 60000 });  // the editor and the explorer
  seen.plots_06 = await panel.locator('.js-plotly-plot').count();
  const before06 = await lastTiming(panel, 0);
  await reason.selectOption({ label: 'Sviktande' });
  seen.update_06 = await changed(panel, before06, 0);

  panel = await runAll(page, '07_prioritisation.ipynb');
  const participant = panel.locator('.widget-text', { hasText: 'Deltagare' }).locator('input');
  await participant.waitFor({ timeout: 120000 });
  await panel.locator('.widget-html .cx-status').first().waitFor({ timeout: 60000 });  // the explorer has drawn
  seen.plots_07 = await panel.locator('.js-plotly-plot').count();
  await participant.fill('Anna');
  await panel.locator('.widget-dropdown', { hasText: 'Initiativ' }).locator('select')
    .selectOption({ label: 'Proaktiva sms vid avbrott med länk till nätägarens avbrottskarta (Kundens lista)' });
  const comment = panel.locator('.widget-text', { hasText: 'Kommentar' }).locator('input');
  await comment.fill('Kräver nätägarens data');
  await comment.press('Tab');
  await panel.getByRole('button', { name: 'Spara bedömningen' }).click();
  const saved = panel.locator('.cx-status', { hasText: 'Sparat i workshop/priorities.yaml' });
  await saved.waitFor({ timeout: 60000 });
  seen.saved_07 = await saved.textContent();
  const agreement = panel.locator('.widget-output table.cx-table', { hasText: 'Anna:' }).first();
  await agreement.waitFor({ timeout: 60000 });
  seen.agreement_07 = await agreement.innerText();
  const before07 = await lastTiming(panel);
  await panel.locator('.widget-dropdown', { hasText: 'Metod' }).locator('select').selectOption({ label: 'RICE' });
  seen.update_07 = await changed(panel, before07);

  console.log(JSON.stringify(seen));
  await browser.close();
})().catch(async e => {
  console.error(e);
  if (page && process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT }).catch(() => {});
  process.exit(1);
});
