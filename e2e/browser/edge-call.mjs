// The web side of the mini-program edge tests, in headless Chromium through the Web SDK:
//   play    — a web user plays a stream an RTMP pusher publishes: frames decode, audio arrives
//             (sound, not silence: the pusher's tone survives AAC -> Opus), its first frame's delay
//   publish — a web user publishes its fake camera in H.264 and holds it while FLV players read it
// Usage: node edge-call.mjs play|publish <gatewayHttpBase> <appId> <roomId> <token> <userId> <streamId> <holdSeconds> [H264|VP8]
// Prints RESULT {json} (publish: once publishing, then again when the hold ends).
import { launch } from './chromium.mjs';

const [mode, base, appId, roomId, token, userId, streamId, hold, codec = 'H264'] = process.argv.slice(2);

const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(base + '/q/health/live');
  const setup = await page.evaluate(async ({ base, appId, roomId, token, userId }) => {
    // every peer connection the SDK makes, for its statistics
    const Native = RTCPeerConnection;
    window.connections = [];
    window.RTCPeerConnection = function (...args) { const pc = new Native(...args); connections.push(pc); return pc; };
    window.RTCPeerConnection.prototype = Native.prototype;
    const { ZegoExpressEngine } = await import(base + '/sdk/index.js');
    window.zg = new ZegoExpressEngine(Number(appId), base.replace(/^http/, 'ws') + '/ws');
    window.events = [];
    for (const name of ['roomStreamUpdate', 'publisherStateUpdate', 'playerStateUpdate']) {
      zg.on(name, (...args) => events.push({ name, args }));
    }
    await zg.loginRoom(roomId, token, { userID: userId, userName: userId }, { userUpdate: true });
    return true;
  }, { base, appId, roomId, token, userId });
  if (mode === 'publish') {
    const published = await page.evaluate(async ({ streamId, codec }) => {
      window.local = await zg.createStream({ camera: { videoQuality: 2 } });
      zg.startPublishingStream(streamId, local, { videoCodec: codec });
      for (let i = 0; i < 200; i++) {
        const e = events.find((x) => x.name === 'publisherStateUpdate' && x.args[0].state !== 'PUBLISH_REQUESTING');
        if (e) return e.args[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      return { state: 'TIMEOUT' };
    }, { streamId, codec });
    console.log('RESULT ' + JSON.stringify({ setup, published }));
    await new Promise((r) => setTimeout(r, Number(hold) * 1000));
    console.log('RESULT ' + JSON.stringify({ setup, published, held: true }));
  } else {
    const result = await page.evaluate(async ({ streamId, hold }) => {
      const listed = events.find((e) => e.name === 'roomStreamUpdate' && e.args[2].some((s) => s.streamID === streamId));
      const entry = listed && listed.args[2].find((s) => s.streamID === streamId);
      const started = performance.now();
      const remote = await zg.startPlayingStream(streamId);
      const video = document.createElement('video');
      // not muted: Chromium measures the received audio's level only for audio it plays out
      video.autoplay = true; video.muted = false; video.srcObject = remote; document.body.appendChild(video);
      const frames = () => video.getVideoPlaybackQuality().totalVideoFrames;
      for (let i = 0; i < 400 && frames() === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const firstFrameMs = Math.round(performance.now() - started);
      await new Promise((r) => setTimeout(r, Number(hold) * 1000));
      const audio = {};
      for (const pc of connections) {
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') Object.assign(audio, {
            packetsReceived: s.packetsReceived, totalAudioEnergy: s.totalAudioEnergy, audioLevel: s.audioLevel,
            totalSamplesReceived: s.totalSamplesReceived, concealedSamples: s.concealedSamples });
          if (s.type === 'inbound-rtp' && s.kind === 'video') Object.assign(audio, { videoFramesDecoded: s.framesDecoded,
            videoPacketsLost: s.packetsLost, videoKeyFramesDecoded: s.keyFramesDecoded });
        });
      }
      return { urlsFLV: entry?.urlsFLV, urlsRTMP: entry?.urlsRTMP, firstFrameMs, frames: frames(), width: video.videoWidth,
        height: video.videoHeight, stats: audio };
    }, { streamId, hold });
    console.log('RESULT ' + JSON.stringify(result));
  }
} catch (e) {
  console.log('RESULT ' + JSON.stringify({ error: String(e) }));
} finally {
  await browser.close();
}
