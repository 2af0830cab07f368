// A consultation over a network the test shapes (e2e NetworkScenariosTest, ./wenzhen bench networks): the
// doctor publishes camera and microphone through the Web SDK, the patient plays them, each in a Chromium of
// its own with the flags the scenario gives (a browser with UDP blocked, a camera fed from a busy y4m file).
// Every second it prints what both browsers measure; the test changes the network meanwhile and reads the
// figures. Times are ms since the patient's loginRoom.
// Usage: node network-call.mjs <gatewayHttpBase> <appId> <roomId> <doctorToken> <patientToken> <optionsJson>
//   options: {seconds, doctorFlags: [], patientFlags: [], doctorVideo: 'busy.y4m', videoQuality: 0-3,
//     patientBase: the gateway as the patient reaches it, patientChromium: a Chromium that runs in its namespace}
// Prints: PLAYING {json} once the patient decodes; SAMPLE {json} each second; RESULT {json} at the end.
import { launch } from './chromium.mjs';

const [base, appId, roomId, doctorToken, patientToken, optionsJson] = process.argv.slice(2);
const options = { seconds: 10, doctorFlags: [], patientFlags: [], videoQuality: 3, ...JSON.parse(optionsJson ?? '{}') };

const setup = async ({ base, appId }) => {
  const NativePeerConnection = window.RTCPeerConnection;
  window.peerConnections = [];
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      peerConnections.push(this);
      // ICE's states as they change, in ms since the patient's loginRoom (a network change: disconnected, restart)
      this.addEventListener('iceconnectionstatechange', () => iceStates.push([this.iceConnectionState, Math.round(performance.now() - (window.start ?? 0))]));
    }
  };
  window.iceStates = [];
  const { ZegoExpressEngine } = await import(base + '/sdk/index.js');
  window.zg = new ZegoExpressEngine(Number(appId), base.replace(/^http/, 'ws') + '/ws');
  window.events = [];
  for (const name of ['roomStateUpdate', 'roomStreamUpdate', 'publisherStateUpdate', 'playerStateUpdate']) {
    zg.on(name, (...args) => events.push({ name, args, at: Math.round(performance.now()) }));
  }
  window.waitFor = async (test, ms = 20000) => {
    for (let t = 0; t < ms; t += 20) {
      const hit = events.find(test);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no such event within ' + ms + ' ms; events: ' + JSON.stringify(events.map((e) => [e.name, e.args[1] ?? e.args[0]])));
  };
  // what one connection measures now: its RTP counters, and the candidate pair it uses
  window.measure = async (pc) => {
    const stats = await pc.getStats();
    const out = { at: performance.now() };
    let pair;
    stats.forEach((r) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId);
    });
    stats.forEach((r) => {
      if (!pair && r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r;
      if (r.type === 'outbound-rtp' && r.kind === 'video') {
        out.bytesSent = (out.bytesSent ?? 0) + r.bytesSent;
        out.frameWidth = r.frameWidth; out.frameHeight = r.frameHeight;
        out.framesEncoded = r.framesEncoded;
        if (r.targetBitrate) out.targetBitrate = r.targetBitrate;
        out.limitation = r.qualityLimitationReason;
      }
      if (r.type === 'remote-inbound-rtp' && r.kind === 'video' && r.roundTripTime !== undefined) out.rtt = r.roundTripTime;
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        Object.assign(out, { bytesReceived: r.bytesReceived, framesDecoded: r.framesDecoded ?? 0, freezeCount: r.freezeCount ?? 0,
          totalFreezesDuration: r.totalFreezesDuration ?? 0, videoLost: r.packetsLost, videoReceived: r.packetsReceived,
          nackCount: r.nackCount, width: r.frameWidth, height: r.frameHeight });
      }
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        Object.assign(out, { concealedSamples: r.concealedSamples ?? 0, totalSamplesReceived: r.totalSamplesReceived ?? 0,
          audioLost: r.packetsLost, audioReceived: r.packetsReceived, fecPacketsReceived: r.fecPacketsReceived ?? 0 });
      }
    });
    if (pair) {
      const local = stats.get(pair.localCandidateId);
      out.path = local ? { type: local.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol ?? null } : null;
      if (pair.currentRoundTripTime !== undefined) out.pairRtt = pair.currentRoundTripTime;
      if (pair.availableOutgoingBitrate !== undefined) out.availableOutgoingBitrate = pair.availableOutgoingBitrate;
    }
    return out;
  };
};

async function open(browser, base) {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('404')) console.error('[page]', m.text()); });
  await page.goto(base + '/q/health/live'); // the gateway's origin: a secure context for getUserMedia
  await page.evaluate(setup, { base, appId });
  return page;
}

const doctorFlags = [...options.doctorFlags];
if (options.doctorVideo) doctorFlags.push('--use-file-for-fake-video-capture=' + options.doctorVideo);
const patientBase = options.patientBase ?? base;
// a page on a plain-HTTP address other than loopback is no secure context unless the browser is told it is
const patientFlags = [...options.patientFlags, '--unsafely-treat-insecure-origin-as-secure=' + patientBase];
const doctorBrowser = await launch(doctorFlags);
const patientBrowser = await launch(patientFlags, options.patientChromium);
const result = {};
try {
  const doctor = await open(doctorBrowser, base);
  const patient = await open(patientBrowser, patientBase);
  const streamId = 'doctor_7_main';

  await doctor.evaluate(async ({ roomId, token, streamId, videoQuality }) => {
    await zg.loginRoom(roomId, token, { userID: 'doctor_7' }, { userUpdate: true });
    window.local = await zg.createStream({ camera: { videoQuality } });
    zg.startPublishingStream(streamId, local);
    await waitFor((e) => e.name === 'publisherStateUpdate' && e.args[0].state === 'PUBLISHING');
    window.publishedAt = performance.now();
  }, { roomId, token: doctorToken, streamId, videoQuality: options.videoQuality });

  // the patient joins: from its loginRoom to the first decoded frame
  const joined = await patient.evaluate(async ({ roomId, token, streamId }) => {
    window.start = performance.now();
    await zg.loginRoom(roomId, token, { userID: 'patient_1' }, { userUpdate: true });
    const loggedIn = performance.now() - start;
    const stream = await zg.startPlayingStream(streamId);
    const playing = performance.now() - start;
    const video = document.createElement('video');
    video.autoplay = true; video.muted = true; video.srcObject = stream; document.body.appendChild(video);
    // every frame the element presents: the longest gap between two is the worst freeze a patient saw
    window.presented = [];
    const onFrame = (now) => { presented.push(now - start); video.requestVideoFrameCallback(onFrame); };
    video.requestVideoFrameCallback(onFrame);
    const pc = peerConnections.at(-1);
    for (;;) {
      const m = await measure(pc);
      if (m.framesDecoded > 0) return { loginMs: Math.round(loggedIn), playingMs: Math.round(playing), firstFrameMs: Math.round(m.at - start), path: m.path };
      await new Promise((r) => setTimeout(r, 20));
    }
  }, { roomId, token: patientToken, streamId });
  const doctorPath = await doctor.evaluate(async () => (await measure(peerConnections.at(-1))).path);
  console.log('PLAYING ' + JSON.stringify({ ...joined, doctorPath }));

  const samples = [];
  let before = null;
  for (let s = 0; s < options.seconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    const [d, p] = await Promise.all([doctor.evaluate(async () => ({ ...(await measure(peerConnections.at(-1))), sincePublishing: performance.now() - publishedAt })),
      patient.evaluate(async () => ({ ...(await measure(peerConnections.at(-1))), since: performance.now() - start }))]);
    if (before) {
      const seconds = (p.at - before.p.at) / 1000;
      const sample = {
        t: Math.round(p.since),
        doctorMs: Math.round(d.sincePublishing), // since the doctor's PUBLISHING
        sentKbps: Math.round(((d.bytesSent - before.d.bytesSent) * 8) / ((d.at - before.d.at) / 1000) / 1000),
        rttMs: d.rtt !== undefined ? Math.round(d.rtt * 1000) : null,
        // the doctor's own send-side estimate of its uplink, and what limits its encoder (cpu, bandwidth or none)
        doctorEstimateKbps: d.availableOutgoingBitrate !== undefined ? Math.round(d.availableOutgoingBitrate / 1000) : null,
        limitation: d.limitation,
        sent: `${d.frameWidth}x${d.frameHeight}`,
        receivedKbps: Math.round(((p.bytesReceived - before.p.bytesReceived) * 8) / seconds / 1000),
        fps: Math.round(((p.framesDecoded - before.p.framesDecoded) / seconds) * 10) / 10,
        received: `${p.width}x${p.height}`,
        freezes: p.freezeCount - before.p.freezeCount,
        concealed: p.totalSamplesReceived > before.p.totalSamplesReceived
          ? Math.round(((p.concealedSamples - before.p.concealedSamples) / (p.totalSamplesReceived - before.p.totalSamplesReceived)) * 1000) / 1000 : null,
        patientPath: p.path, doctorPath: d.path,
      };
      samples.push(sample);
      console.log('SAMPLE ' + JSON.stringify(sample));
    }
    before = { d, p };
  }
  const last = await patient.evaluate(async () => measure(peerConnections.at(-1)));
  // the longest time between two presented frames once playing (and when it began, ms since loginRoom)
  const gap = await patient.evaluate((from) => {
    const times = [...presented, performance.now() - start]; // a freeze still on at the end counts to the end
    let longest = { ms: 0, at: -1 };
    for (let i = 1; i < times.length; i++) {
      if (times[i - 1] >= from && times[i] - times[i - 1] > longest.ms) {
        longest = { ms: Math.round(times[i] - times[i - 1]), at: Math.round(times[i - 1]) };
      }
    }
    return longest;
  }, joined.firstFrameMs);
  result.iceStates = await patient.evaluate(() => iceStates);
  result.longestGapMs = gap.ms;
  result.longestGapAt = gap.at;
  Object.assign(result, {
    samples: samples.length, framesDecoded: last.framesDecoded, freezeCount: last.freezeCount,
    totalFreezesDuration: last.totalFreezesDuration, concealedSamples: last.concealedSamples,
    totalSamplesReceived: last.totalSamplesReceived, videoLost: last.videoLost, videoReceived: last.videoReceived,
    audioLost: last.audioLost, audioReceived: last.audioReceived, fecPacketsReceived: last.fecPacketsReceived, nackCount: last.nackCount,
  });
  console.log('RESULT ' + JSON.stringify(result));
} finally {
  await doctorBrowser.close();
  await patientBrowser.close();
}
