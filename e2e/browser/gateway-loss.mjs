// A Web SDK user through the loss of its gateway (./wenzhen drill gateway), in headless Chromium: it
// logs in and publishes, prints READY, then follows what the SDK says once the gateway dies — the
// socket drop (roomStateUpdate CONNECTING), the SDK's own recovery once a gateway answers again (it logs
// in again and publishes again: CONNECTED, PUBLISHING) — and, should the SDK give up (DISCONNECTED), does
// what an app does: logs in again until a gateway takes it, and publishes again.
// Usage: node gateway-loss.mjs <gatewayHttpBase> <appId> <roomId> <token> <userId> <streamId>
// Prints READY, then one line: RESULT {json} (times in ms from the drop).
import { launch } from './chromium.mjs';

const [base, appId, roomId, token, userId, streamId] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  let refused = 0; // the SDK's resume attempts while no gateway listens: counted, not printed
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().includes('ERR_CONNECTION_REFUSED')) refused++;
    else console.error('[page]', m.text());
  });
  await page.goto(base + '/q/health/live'); // the gateway's origin: a secure context for getUserMedia
  await page.evaluate(async ({ base, appId, roomId, token, userId, streamId }) => {
    const { ZegoExpressEngine } = await import(base + '/sdk/index.js');
    window.zg = new ZegoExpressEngine(Number(appId), base.replace(/^http/, 'ws') + '/ws');
    window.events = [];
    for (const name of ['roomStateUpdate', 'publisherStateUpdate']) {
      zg.on(name, (...args) => events.push({ name, args, at: Math.round(performance.now()) }));
    }
    window.waitFor = async (test, ms) => {
      for (let t = 0; t < ms; t += 50) {
        const hit = events.find(test);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no such event within ' + ms + ' ms: ' + JSON.stringify(events.map((e) => [e.name, e.args[1] ?? e.args[0].state])));
    };
    window.publishing = (after) => waitFor((e) => e.name === 'publisherStateUpdate' && e.args[0].state === 'PUBLISHING'
      && e.at >= after, 20000);
    await zg.loginRoom(roomId, token, { userID: userId }, { userUpdate: true });
    window.local = await zg.createStream({ camera: { videoQuality: 2 } });
    const t = performance.now();
    zg.startPublishingStream(streamId, local);
    await publishing(t);
  }, { base, appId, roomId, token, userId, streamId });
  const ready = await page.evaluate(() => performance.now());
  console.log('READY');

  const result = await page.evaluate(async ({ roomId, token, userId, streamId, ready }) => {
    const drop = await waitFor((e) => e.name === 'roomStateUpdate' && e.args[1] === 'CONNECTING' && e.at >= ready, 120000);
    // the SDK recovers by itself (it logs in again once a gateway answers, and publishes again); an app logs in
    // again itself only if the SDK gives up (DISCONNECTED)
    const outcome = await waitFor((e) => e.at >= drop.at && ((e.name === 'publisherStateUpdate' && e.args[0].state === 'PUBLISHING')
      || (e.name === 'roomStateUpdate' && e.args[1] === 'DISCONNECTED')), 120000);
    let attempts = 0;
    let republished = outcome;
    if (outcome.name === 'roomStateUpdate') {
      for (;;) {
        attempts++;
        try {
          await zg.loginRoom(roomId, token, { userID: userId }, { userUpdate: true });
          break;
        } catch (e) {
          if (attempts >= 120) throw new Error('no gateway took the login again: ' + JSON.stringify(e));
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const back = Math.round(performance.now());
      zg.startPublishingStream(streamId, local);
      republished = await publishing(back);
    }
    const connected = events.find((e) => e.name === 'roomStateUpdate' && e.args[1] === 'CONNECTED' && e.at >= drop.at);
    return {
      recoveredBySdk: outcome.name !== 'roomStateUpdate', appLoginAttempts: attempts,
      loggedInAgainMs: connected ? connected.at - drop.at : -1, publishingAgainMs: republished.at - drop.at,
      states: events.filter((e) => e.at >= drop.at).map((e) => e.name === 'roomStateUpdate'
        ? `room:${e.args[1]}:${e.args[2]}` : `publisher:${e.args[0].state}:${e.args[0].errorCode}`),
    };
  }, { roomId, token, userId, streamId, ready });
  result.refusedConnections = refused;
  console.log('RESULT ' + JSON.stringify(result));
} finally {
  await browser.close();
}
