// A consultation across two gateways, through the Web SDK in two headless Chromium instances: the doctor's
// page talks to one gateway, the patient's to another; both publish and play each other. Prints
// READY {json} once both pictures play, then takes commands on stdin:
//   KILLED  — the room's home was SIGKILLed: watches both pictures until each has played steadily for 3 s
//             again; prints RESULT {json}: the longest pause between two frames each side saw, and the SDK
//             events since
//   WATCH n — watches both pictures for n seconds; prints WATCHED {json}: the longest pause each side saw, and
//             the app's events meanwhile
//   LEAVE   — both log out; prints LEFT
// Usage: node fabric-call.mjs <doctorGatewayHttpBase> <patientGatewayHttpBase> <appId> <roomId> <doctorToken> <patientToken>
import { createInterface } from 'node:readline';
import { launch } from './chromium.mjs';

const [doctorBase, patientBase, appId, roomId, doctorToken, patientToken] = process.argv.slice(2);

// In the page: an engine recording its events, and a watch on the frames a <video> presents.
const setup = async ({ base, appId }) => {
  const { ZegoExpressEngine } = await import(base + '/sdk/index.js');
  window.zg = new ZegoExpressEngine(Number(appId), base.replace(/^http/, 'ws') + '/ws');
  window.events = [];
  for (const name of ['roomStateUpdate', 'roomStreamUpdate', 'publisherStateUpdate', 'playerStateUpdate']) {
    zg.on(name, (...args) => events.push({ name, args, at: Math.round(performance.now()) }));
  }
  window.waitFor = async (test, ms = 20000) => {
    for (let t = 0; t < ms; t += 50) {
      const hit = events.find(test);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no such event within ' + ms + ' ms; events: ' + JSON.stringify(events.map((e) => [e.name, e.args[1] ?? e.args[0]])));
  };
  // every frame the element presents, by time (requestVideoFrameCallback: what the user would see)
  window.frameTimes = [];
  window.show = (stream) => {
    const video = document.createElement('video');
    video.autoplay = true; video.muted = true; video.srcObject = stream; document.body.appendChild(video);
    const watch = () => video.requestVideoFrameCallback(() => { frameTimes.push(performance.now()); watch(); });
    watch();
    return video;
  };
  // publishes its camera, then plays the other's stream when it is in the room (now or later)
  window.login = ({ roomId, token, userID }) => zg.loginRoom(roomId, token, { userID }, { userUpdate: true });
  window.consult = async ({ userID, own, other }) => {
    window.local = await zg.createStream({ camera: { videoQuality: 2 } });
    zg.startPublishingStream(own, local, { videoCodec: 'H264' });
    await waitFor((e) => e.name === 'publisherStateUpdate' && e.args[0].state === 'PUBLISHING');
    await waitFor((e) => e.name === 'roomStreamUpdate' && e.args[1] === 'ADD' && e.args[2].some((s) => s.streamID === other));
    window.video = show(await zg.startPlayingStream(other));
    for (let i = 0; i < 400 && frameTimes.length < 30; i++) await new Promise((r) => setTimeout(r, 25));
    if (frameTimes.length < 30) throw new Error(userID + ' sees no picture: ' + frameTimes.length + ' frames');
    return frameTimes.length;
  };
  // the app's events since `since`, shortly: room:STATE:code, stream:ADD|DELETE:ids, publisher|player:STATE:code
  window.eventsSince = (since) => events.filter((e) => e.at >= since).map((e) => e.name === 'roomStateUpdate' ? `room:${e.args[1]}:${e.args[2]}`
    : e.name === 'roomStreamUpdate' ? `stream:${e.args[1]}:${e.args[2].map((s) => s.streamID)}`
      : `${e.name === 'publisherStateUpdate' ? 'publisher' : 'player'}:${e.args[0].state}:${e.args[0].errorCode}`);
  // after the kill at `since`: the longest pause between frames, once 3 s of steady frames followed it
  window.recovered = async (since) => {
    for (let t = 0; t < 40000; t += 100) {
      const times = frameTimes.filter((x) => x >= since - 1000);
      let longest = 0;
      let longestEnd = 0;
      for (let i = 1; i < times.length; i++) {
        if (times[i] - times[i - 1] > longest) { longest = times[i] - times[i - 1]; longestEnd = times[i]; }
      }
      const now = performance.now();
      if (longest > 0 && longestEnd > since && now - longestEnd > 3000 && times.at(-1) > now - 300) {
        return { gapMs: Math.round(longest), backAfterKillMs: Math.round(longestEnd - since), framesAfter: times.filter((x) => x > longestEnd).length,
          events: eventsSince(since) };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { gapMs: -1, frames: frameTimes.filter((x) => x >= since).length, events: events.filter((e) => e.at >= since).map((e) => [e.name, e.args]) };
  };
};

async function open(browser, base) {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => {
    if ((m.type() === 'error' && !m.text().includes('ERR_CONNECTION_REFUSED')) || m.text().startsWith('wenzhen:')) console.error('[page]', m.text());
  });
  await page.goto(base + '/q/health/live'); // a page on its gateway's origin: a secure context for getUserMedia
  await page.evaluate(setup, { base, appId });
  return page;
}

const doctorBrowser = await launch();
const patientBrowser = await launch();
try {
  const doctor = await open(doctorBrowser, doctorBase);
  const patient = await open(patientBrowser, patientBase);
  // the doctor first: the room is placed by the gateway the doctor reached
  await doctor.evaluate((args) => login(args), { roomId, token: doctorToken, userID: 'doctor_7' });
  await patient.evaluate((args) => login(args), { roomId, token: patientToken, userID: 'patient_1' });
  const [doctorFrames, patientFrames] = await Promise.all([
    doctor.evaluate((args) => consult(args), { userID: 'doctor_7', own: 'doctor_7_main', other: 'patient_1_main' }),
    patient.evaluate((args) => consult(args), { userID: 'patient_1', own: 'patient_1_main', other: 'doctor_7_main' }),
  ]);
  console.log('READY ' + JSON.stringify({ doctorFrames, patientFrames }));
  const lines = createInterface({ input: process.stdin });
  const both = (f, arg) => Promise.all([doctor.evaluate(f, arg), patient.evaluate(f, arg)]);
  for await (const line of lines) {
    const [command, arg] = line.trim().split(/\s+/);
    if (command === 'KILLED') {
      const [doctorSince, patientSince] = await both(() => performance.now());
      const [doctorSide, patientSide] = await Promise.all([doctor.evaluate((t) => recovered(t), doctorSince),
        patient.evaluate((t) => recovered(t), patientSince)]);
      console.log('RESULT ' + JSON.stringify({ doctor: doctorSide, patient: patientSide }));
    } else if (command === 'WATCH') {
      const [doctorSide, patientSide] = await both(async (seconds) => {
        const since = performance.now();
        await new Promise((r) => setTimeout(r, seconds * 1000));
        const times = frameTimes.filter((x) => x >= since - 500);
        let longest = 0;
        for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
        longest = Math.max(longest, performance.now() - times.at(-1));
        return { gapMs: Math.round(longest), frames: times.length, events: eventsSince(since) };
      }, Number(arg));
      console.log('WATCHED ' + JSON.stringify({ doctor: doctorSide, patient: patientSide }));
    } else if (command === 'LEAVE') {
      await both((room) => zg.logoutRoom(room), roomId);
      console.log('LEFT');
    }
  }
} catch (e) {
  console.log('RESULT ' + JSON.stringify({ error: String(e && e.stack || e) }));
  console.log('WATCHED ' + JSON.stringify({ error: String(e && e.stack || e) }));
} finally {
  await Promise.all([doctorBrowser.close(), patientBrowser.close()]);
}
