// A consultation through the Web SDK that the gateway serves (/sdk/index.js), in headless Chromium:
// a doctor and a patient each publish their fake camera and microphone and play the other's stream;
// a nurse joins late and plays the doctor; the patient's signaling socket drops and resumes; a
// broadcast message; the doctor stops publishing, then leaves. Every SDK event is recorded in order.
// Usage: node sdk-call.mjs <gatewayHttpBase> <appId> <roomId> <doctorToken> <patientToken> <nurseToken>
// Prints one line: RESULT {json}.
import { launch } from './chromium.mjs';

const [base, appId, roomId, doctorToken, patientToken, nurseToken] = process.argv.slice(2);
// In the page: an engine whose every event lands in window.events, and helpers to wait on them.
const setup = async ({ base, appId }) => {
  // every peer connection the SDK makes, so that a step can break one under it
  const NativePeerConnection = window.RTCPeerConnection;
  window.peerConnections = [];
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) { super(...args); peerConnections.push(this); }
  };
  const { ZegoExpressEngine } = await import(base + '/sdk/index.js');
  window.zg = new ZegoExpressEngine(Number(appId), base.replace(/^http/, 'ws') + '/ws');
  window.events = [];
  for (const name of ['roomStateUpdate', 'roomUserUpdate', 'roomOnlineUserCountUpdate', 'roomStreamUpdate',
    'publisherStateUpdate', 'playerStateUpdate', 'publishQualityUpdate', 'playQualityUpdate', 'IMRecvBroadcastMessage',
    'tokenWillExpire']) {
    zg.on(name, (...args) => events.push({ name, args, at: Math.round(performance.now()) }));
  }
  window.waitFor = async (test, ms = 15000) => {
    for (let t = 0; t < ms; t += 50) {
      const hit = events.find(test);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no such event within ' + ms + ' ms; events: ' + JSON.stringify(events.map((e) => [e.name, e.args[1] ?? e.args[0]])));
  };
  window.frames = (video) => video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality().totalVideoFrames : 0;
  window.show = (stream) => {
    const video = document.createElement('video');
    video.autoplay = true; video.muted = true; video.srcObject = stream; document.body.appendChild(video);
    return video;
  };
};

async function open(browser) {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(base + '/q/health/live'); // a page on the gateway's origin: a secure context for getUserMedia
  await page.evaluate(setup, { base, appId });
  return page;
}

const result = {};
const doctorBrowser = await launch();
const patientBrowser = await launch();
try {
  const doctor = await open(doctorBrowser);
  const patient = await open(patientBrowser);

  // the doctor opens the consultation and publishes
  result.doctorLogin = await doctor.evaluate(async ({ roomId, token }) => {
    const ok = await zg.loginRoom(roomId, token, { userID: 'doctor_7', userName: 'Dr. Li' }, { userUpdate: true });
    window.local = await zg.createStream({ camera: { videoQuality: 2 } });
    zg.startPublishingStream('doctor_7_main', local, { videoCodec: 'H264', extraInfo: 'camera=front' });
    await waitFor((e) => e.name === 'publisherStateUpdate' && e.args[0].state !== 'PUBLISH_REQUESTING');
    return ok;
  }, { roomId, token: doctorToken });

  // the patient joins: sees the doctor and the doctor's stream, publishes, plays the doctor
  result.patient = await patient.evaluate(async ({ roomId, token }) => {
    const ok = await zg.loginRoom(roomId, token, { userID: 'patient_1', userName: 'patient 1' }, { userUpdate: true });
    await waitFor((e) => e.name === 'roomStreamUpdate' && e.args[1] === 'ADD');
    window.local = await zg.createStream({ camera: { videoQuality: 2 } });
    zg.startPublishingStream('patient_1_main', local, { videoCodec: 'VP8' });
    const started = performance.now();
    const remote = await zg.startPlayingStream('doctor_7_main');
    window.video = show(remote);
    for (let i = 0; i < 100 && frames(video) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const firstFrameMs = Math.round(performance.now() - started);
    await waitFor((e) => e.name === 'playQualityUpdate', 10000);
    return { ok, firstFrameMs, framesAfterPlay: frames(video) };
  }, { roomId, token: patientToken });

  // the doctor plays the patient back
  result.doctor = await doctor.evaluate(async () => {
    await waitFor((e) => e.name === 'roomStreamUpdate' && e.args[1] === 'ADD');
    const remote = await zg.startPlayingStream('patient_1_main');
    window.video = show(remote);
    await waitFor((e) => e.name === 'playQualityUpdate', 10000);
    await waitFor((e) => e.name === 'publishQualityUpdate', 10000);
    return { frames: frames(video), width: video.videoWidth, height: video.videoHeight };
  });

  // a nurse joins late (a second page of the patient's browser) and gets the doctor's picture quickly
  const nurse = await open(patientBrowser);
  result.nurse = await nurse.evaluate(async ({ roomId, token }) => {
    await zg.loginRoom(roomId, token, { userID: 'nurse_3' }, { userUpdate: false });
    const started = performance.now();
    const video = show(await zg.startPlayingStream('doctor_7_main'));
    for (let i = 0; i < 200 && frames(video) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const firstFrameMs = Math.round(performance.now() - started);
    await zg.logoutRoom(roomId);
    return { firstFrameMs, frames: frames(video) };
  }, { roomId, token: nurseToken });
  await nurse.close();

  // the patient's signaling socket drops (a network change): the SDK resumes, the picture never stops
  result.resume = await patient.evaluate(async () => {
    const before = frames(video);
    const t0 = Math.floor(performance.now());
    zg.simulateNetworkLoss();
    const connecting = await waitFor((e) => e.name === 'roomStateUpdate' && e.args[1] === 'CONNECTING' && e.at >= t0);
    const back = await waitFor((e) => e.name === 'roomStateUpdate' && e.args[1] === 'CONNECTED' && e.at >= connecting.at);
    await new Promise((r) => setTimeout(r, 1000));
    return { before, after: frames(video), resumedInMs: back.at - connecting.at };
  });

  // a broadcast message from the doctor reaches the patient
  result.message = await doctor.evaluate(async (roomId) => zg.sendBroadcastMessage(roomId, 'please face the camera'), roomId);
  result.received = await patient.evaluate(async () => (await waitFor((e) => e.name === 'IMRecvBroadcastMessage')).args[1][0]);

  // the patient's last quality report while both streams flow
  result.patientQuality = await patient.evaluate(async () => {
    const t = performance.now();
    const q = await waitFor((e) => e.name === 'playQualityUpdate' && e.at > t, 10000);
    const p = events.filter((e) => e.name === 'publishQualityUpdate').pop();
    return { play: q.args[1], publish: p && p.args[1], frames: frames(video), width: video.videoWidth, height: video.videoHeight };
  });

  // the patient's publishing connection dies under the SDK (closed, as by a network it did not survive): the
  // gateway ends the publication (publishEnded, 10324), the doctor's player of it ends with the stream
  result.lost = await patient.evaluate(async () => {
    const t0 = Math.floor(performance.now());
    peerConnections.find((pc) => pc.getSenders().some((s) => s.track)).close();
    const ended = await waitFor((e) => e.name === 'publisherStateUpdate' && e.args[0].state === 'NO_PUBLISH' && e.at >= t0, 25000);
    return { streamID: ended.args[0].streamID, errorCode: ended.args[0].errorCode, ms: ended.at - t0 };
  });
  result.lostSeen = await doctor.evaluate(async () => {
    const deleted = await waitFor((e) => e.name === 'roomStreamUpdate' && e.args[1] === 'DELETE', 10000);
    return deleted.args[2][0].streamID;
  });

  // the doctor stops publishing, then leaves
  await doctor.evaluate(() => zg.stopPublishingStream('doctor_7_main'));
  result.ended = await patient.evaluate(async () => {
    const deleted = await waitFor((e) => e.name === 'roomStreamUpdate' && e.args[1] === 'DELETE');
    const stopped = await waitFor((e) => e.name === 'playerStateUpdate' && e.args[0].state === 'NO_PLAY');
    return { stream: deleted.args[2][0].streamID, player: stopped.args[0] };
  });
  await doctor.evaluate(async (roomId) => zg.logoutRoom(roomId), roomId);
  result.left = await patient.evaluate(async () => (await waitFor((e) => e.name === 'roomUserUpdate' && e.args[1] === 'DELETE'
    && e.args[2][0].userID === 'doctor_7')).args[2][0].userID);

  // everything each side heard, in order (quality events counted, not listed)
  const summary = () => ({
    events: events.filter((e) => !e.name.endsWith('QualityUpdate')).map((e) => {
      const a = e.args;
      switch (e.name) {
        case 'publisherStateUpdate': case 'playerStateUpdate': return `${e.name}:${a[0].streamID}:${a[0].state}:${a[0].errorCode}`;
        case 'roomStateUpdate': return `${e.name}:${a[1]}:${a[2]}`;
        case 'roomUserUpdate': return `${e.name}:${a[1]}:${a[2].map((u) => u.userID).join(',')}`;
        case 'roomStreamUpdate': return `${e.name}:${a[1]}:${a[2].map((s) => s.streamID).join(',')}`;
        case 'roomOnlineUserCountUpdate': return `${e.name}:${a[1]}`;
        default: return e.name;
      }
    }),
    publishQuality: events.filter((e) => e.name === 'publishQualityUpdate').length,
    playQuality: events.filter((e) => e.name === 'playQualityUpdate').length,
  });
  result.doctorEvents = await doctor.evaluate(summary);
  result.patientEvents = await patient.evaluate(summary);
  await patient.evaluate(() => zg.destroyEngine());
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await doctorBrowser.close();
  await patientBrowser.close();
}
console.log('RESULT ' + JSON.stringify(result));
