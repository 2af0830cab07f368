// quality-service's live dashboard (/dashboard/) in headless Chromium: connect with a JWT, print READY,
// then wait for the room the test feeds samples for to show up with its grade, charts drawn from several
// updates, and an alert; then a screenshot. Usage: node dashboard.mjs <qualityHttpBase> <jwt> <roomId> <screenshot.png>
// Prints READY when connected, then one line: RESULT {json}.
import { launch } from './chromium.mjs';

const [base, token, roomId, screenshot] = process.argv.slice(2);
const browser = await launch();
const result = {};
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on('pageerror', (e) => { (result.pageErrors ??= []).push(String(e)); });
  await page.goto(`${base}/dashboard/`);
  await page.fill('#token', token);
  await page.click('#connect button');
  await page.waitForFunction(() => document.body.dataset.connected === 'true', null, { timeout: 15000 });
  console.log('READY');
  await page.waitForFunction((room) => {
    const card = document.querySelector(`.room[data-room="${room}"]`);
    const points = card ? [...card.querySelectorAll('canvas[data-chart="videoKbps"]')].map((c) => Number(c.dataset.points || 0)) : [];
    const alert = [...document.querySelectorAll('#alerts li')].some((li) => li.textContent.includes(room));
    return card && points.some((p) => p >= 8) && alert;
  }, roomId, { timeout: 60000 });
  result.room = await page.evaluate((room) => {
    const card = document.querySelector(`.room[data-room="${room}"]`);
    return {
      grade: card.querySelector('.title .grade').textContent,
      participants: [...card.querySelectorAll('tr td:nth-child(2)')].map((td) => td.textContent),
      points: Math.max(...[...card.querySelectorAll('canvas')].map((c) => Number(c.dataset.points || 0))),
      openAlerts: card.querySelector('.alert-open')?.textContent ?? null,
    };
  }, roomId);
  result.alerts = await page.evaluate((room) => [...document.querySelectorAll('#alerts li')].map((li) => li.textContent)
    .filter((t) => t.includes(room)), roomId);
  await page.screenshot({ path: screenshot, fullPage: true });
  result.screenshot = screenshot;
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log('RESULT ' + JSON.stringify(result));
