// The demo page (the gateway's /demo/) driven like a person would: two pages of one headless Chromium
// take dev tokens, join one room; the first publishes its camera, the second must show it.
// Usage: node demo.mjs <gatewayHttpBase> <demoAppId> <roomId>. Prints one line: RESULT {json}.
import { launch } from './chromium.mjs';

const [base, appId, roomId] = process.argv.slice(2);
const browser = await launch();
const result = {};

async function join(userId) {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => { (result.pageErrors ??= []).push(String(e)); });
  await page.goto(`${base}/demo/?appId=${appId}&roomId=${roomId}&userId=${userId}`);
  await page.click('#devToken');
  await page.waitForFunction(() => document.getElementById('token').value.length > 0, null, { timeout: 10000 });
  await page.click('#join');
  await page.waitForFunction(() => document.getElementById('state').textContent === 'CONNECTED', null, { timeout: 15000 });
  return page;
}

try {
  const doctor = await join('doctor_7');
  await doctor.click('#publish');
  const patient = await join('patient_1');
  await patient.waitForFunction(() => {
    const video = document.querySelector('#remotes video');
    return video && video.videoWidth > 0 && video.getVideoPlaybackQuality().totalVideoFrames > 10;
  }, null, { timeout: 20000 });
  result.patient = await patient.evaluate(() => ({
    width: document.querySelector('#remotes video').videoWidth,
    users: [...document.querySelectorAll('#users li')].map((li) => li.textContent),
    streams: [...document.querySelectorAll('#streams li')].map((li) => li.textContent),
  }));
  // the quality line appears on the doctor's page within a few seconds
  await doctor.waitForFunction(() => document.getElementById('localQuality').textContent.includes('kbps'), null, { timeout: 10000 });
  result.doctorQuality = await doctor.evaluate(() => document.getElementById('localQuality').textContent);
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log('RESULT ' + JSON.stringify(result));
