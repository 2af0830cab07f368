// A doctor publishes in one headless Chromium, a patient plays in another, through the gateway's SFU.
// Speaks the signaling protocol directly (docs/protocol.md); prints one line: RESULT {json}.
// Usage: node call.mjs <gatewayHttpBase> <appId> <publisherToken> <playerToken> <roomId> [H264|VP8] [minFrames] [holdSeconds]
// With holdSeconds, the call is held that long once the player decodes, between the lines HOLDING and HELD (benchmarks,
// and tests that do something to the gateway meanwhile); player.framesDuringHold counts the frames decoded in it.
// Then the doctor unpublishes, and the patient must hear of it (roomStreamUpdate DELETE).
import { launch } from './chromium.mjs';

const [base, appId, publisherToken, playerToken, roomId, codec = 'H264', minFramesArg = '30', holdArg = '0'] = process.argv.slice(2);
const minFrames = Number(minFramesArg);
const ws = base.replace(/^http/, 'ws') + '/ws';
const helpers = `
window.rpc = (ws, msg) => new Promise((resolve) => {
  const id = String(Math.random());
  const on = (e) => { const m = JSON.parse(e.data); if (m.type === 'reply' && m.id === id) { ws.removeEventListener('message', on); resolve(m); } };
  ws.addEventListener('message', on);
  ws.send(JSON.stringify({ ...msg, id }));
  setTimeout(() => { ws.removeEventListener('message', on); resolve({ ok: false, error: 'no reply within 10 s' }); }, 10000);
});
// the gateway closes a connection silent for its idle timeout (30 s): heartbeats keep a held call's sockets open
window.keepAlive = (ws) => setInterval(() => { if (ws.readyState === 1) ws.send(JSON.stringify({ type: 'heartbeat' })); }, 10000);
window.connect = (url) => new Promise((resolve, reject) => { const s = new WebSocket(url); s.onopen = () => resolve(s); s.onerror = reject; });
window.login = async (url, appId, roomId, token, userID) => {
  const socket = await connect(url);
  keepAlive(socket);
  const reply = await rpc(socket, { type: 'login', appId: Number(appId), roomId, token, user: { userID, userName: userID }, config: { userUpdate: true } });
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return socket;
};
`;

// one browser per side, as two people on two machines would have
async function open() {
  const browser = await launch();
  const page = await (await browser.newContext()).newPage();
  await page.goto(base + '/q/health/live'); // a page on the gateway's origin: a secure context for getUserMedia
  await page.addScriptTag({ content: helpers });
  return { browser, page };
}

const result = {};
const doctor = await open();
const patient = await open();
try {
  result.publisher = await doctor.page.evaluate(async ({ ws, appId, token, roomId, codec }) => {
    const socket = await login(ws, appId, roomId, token, 'doctor_7');
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
    const pc = new RTCPeerConnection();
    stream.getTracks().forEach((t) => {
      const transceiver = pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      if (t.kind === 'video') {
        // offer only the codec under test, as an app choosing {videoCodec} would
        const wanted = RTCRtpSender.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/' + codec);
        transceiver.setCodecPreferences(wanted);
      }
    });
    await pc.setLocalDescription(await pc.createOffer());
    const reply = await rpc(socket, { type: 'publish', streamID: 'doctor_7_main', sdp: pc.localDescription.sdp });
    if (!reply.ok) return { error: reply };
    await pc.setRemoteDescription({ type: 'answer', sdp: reply.data.sdp });
    for (let i = 0; i < 100 && pc.connectionState !== 'connected'; i++) await new Promise((r) => setTimeout(r, 100));
    window.keep = { socket, pc };
    return { state: pc.connectionState, offer: pc.localDescription.sdp };
  }, { ws, appId, token: publisherToken, roomId, codec });

  result.player = await patient.page.evaluate(async ({ ws, appId, token, roomId, minFrames }) => {
    const socket = await login(ws, appId, roomId, token, 'patient_1');
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    const video = document.createElement('video');
    video.autoplay = true; video.muted = true; document.body.appendChild(video);
    pc.ontrack = (e) => { if (e.track.kind === 'video') video.srcObject = new MediaStream([e.track]); };
    await pc.setLocalDescription(await pc.createOffer());
    const started = performance.now();
    const reply = await rpc(socket, { type: 'play', streamID: 'doctor_7_main', sdp: pc.localDescription.sdp });
    if (!reply.ok) return { error: reply };
    await pc.setRemoteDescription({ type: 'answer', sdp: reply.data.sdp });
    const out = { frames: 0, width: 0, height: 0, audioPackets: 0, firstFrameMs: null, codec: null, srtpCipher: null };
    for (let i = 0; i < 150 && out.frames < minFrames; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const stats = await pc.getStats();
      const codecs = {};
      stats.forEach((s) => { if (s.type === 'codec') codecs[s.id] = s.mimeType; });
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          out.frames = s.framesDecoded || 0; out.width = s.frameWidth || 0; out.height = s.frameHeight || 0;
          out.codec = codecs[s.codecId] || null;
          out.nackCount = s.nackCount || 0; out.packetsLost = s.packetsLost || 0;
          out.retransmitted = s.retransmittedPacketsReceived ?? null; // RTX: newer Chromiums count it
        }
        if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets = s.packetsReceived || 0;
        if (s.type === 'transport') {
          out.srtpCipher = s.srtpCipher || null;
          const pair = stats.get(s.selectedCandidatePairId);
          const local = pair && stats.get(pair.localCandidateId);
          out.iceProtocol = local ? local.protocol : null; // 'udp', or 'tcp' over ICE-TCP
        }
      });
      if (out.frames > 0 && out.firstFrameMs === null) out.firstFrameMs = Math.round(performance.now() - started);
    }
    out.state = pc.connectionState; out.answer = reply.data.sdp;
    window.keep = { socket, pc };
    window.ended = new Promise((resolve) => socket.addEventListener('message', (e) => {
      const m = JSON.parse(e.data);
      if (m.type === 'roomStreamUpdate' && m.updateType === 'DELETE') resolve(m.streamList[0].streamID);
    }));
    return out;
  }, { ws, appId, token: playerToken, roomId, minFrames });
  if (Number(holdArg) > 0) {
    // frames the patient decodes while the call is held: whatever happens around it, the call must go on
    const decoded = () => patient.page.evaluate(async () => {
      let frames = 0;
      (await window.keep.pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0; });
      return frames;
    });
    const before = await decoded();
    console.log('HOLDING');
    await new Promise((r) => setTimeout(r, Number(holdArg) * 1000));
    console.log('HELD');
    result.player.framesDuringHold = (await decoded()) - before;
  }
  // the doctor stops publishing: the patient is told the stream is gone
  await doctor.page.evaluate(async () => rpc(window.keep.socket, { type: 'unpublish', streamID: 'doctor_7_main' }));
  result.player.ended = await patient.page.evaluate(async () => Promise.race([window.ended,
    new Promise((r) => setTimeout(() => r(null), 10000))]));
} catch (e) {
  result.error = String(e);
} finally {
  await doctor.browser.close();
  await patient.browser.close();
}
console.log('RESULT ' + JSON.stringify(result));
