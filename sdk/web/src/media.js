// The peer connections: one per published or played stream. The client always offers (sendonly to
// publish, recvonly to play); the gateway answers (docs/protocol.md, "Media").
import { SdkError, failure } from './errors.js';

const CONNECT_TIMEOUT_MS = 10000;
/** How long ICE may stay 'disconnected' before the connection restarts it (a network change: Wi-Fi to 4G). */
const DISCONNECTED_GRACE_MS = 1000;
/**
 * Between ICE restarts that were answered but did not reconnect, and between tries of one whose request got no
 * answer (the signaling socket reconnecting too); the gateway ends a connection silent for 15 s.
 */
const RESTART_RETRY_MS = 1000;
const RESTART_REQUEST_RETRY_MS = 300;
const RESTART_ATTEMPTS = 20;
/**
 * Nothing received on a connected connection for this long restarts ICE too: a browser notices a lost network
 * seconds late (measured: 5.5 s after its address went), while a player gets media all the time (audio even in
 * silence) and a publisher the gateway's reports each second. Not more often than RESTART_RETRY_MS.
 */
const PLAYER_SILENCE_MS = 700;
const PUBLISHER_SILENCE_MS = 1500;
const WATCH_MS = 200;

/** Waits until the connection is 'connected'; rejects when it fails or takes too long. */
function connected(pc) {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(failure(SdkError.MEDIA_FAILED, 'ICE/DTLS did not complete')); }, CONNECT_TIMEOUT_MS);
    const check = () => {
      if (pc.connectionState === 'connected') { cleanup(); resolve(); }
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') { cleanup(); reject(failure(SdkError.MEDIA_FAILED, pc.connectionState)); }
    };
    const cleanup = () => { clearTimeout(timer); pc.removeEventListener('connectionstatechange', check); };
    pc.addEventListener('connectionstatechange', check);
  });
}

/**
 * What both kinds of stream share: one peer connection to the gateway, answered, and its last stats. Once
 * connected, it restarts ICE by itself when its network changes (ICE 'failed', or 'disconnected' for a
 * second): a new offer with new ICE credentials, answered through `link.restartIce`; DTLS and the stream go on.
 */
class MediaConnection {
  #link;
  #restarting = false;
  #restartTimer = null; // the next try of a restart under way: no second restart starts meanwhile
  #disconnectTimer = null;
  #watchdog = null;
  #bytesReceived = -1;
  #heardAt = 0;
  #silenceMs;

  /**
   * @param link {iceServers, restartIce(offerSdp) → Promise<answerSdp>}: the login reply's TURN servers (the
   *   gateway's own candidates need no STUN) and the signaling request of an ICE restart
   */
  constructor(streamID, link = {}, silenceMs = PUBLISHER_SILENCE_MS) {
    this.streamID = streamID;
    this.#link = link;
    this.#silenceMs = silenceMs;
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: link.iceServers ?? [] });
    this.lastStats = undefined;
    this.lastStatsAt = 0;
  }

  async answer(sdp) {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await connected(this.pc);
    this.pc.addEventListener('iceconnectionstatechange', () => this.#iceStateChanged());
    this.#heardAt = Date.now();
    this.#watchdog = setInterval(() => this.#checkHeard().catch(() => null), WATCH_MS);
  }

  /** Restarts ICE when nothing has arrived for a while (PLAYER_SILENCE_MS, PUBLISHER_SILENCE_MS). */
  async #checkHeard() {
    if (this.#restarting || this.pc.signalingState === 'closed') return;
    let bytes = 0;
    (await this.pc.getStats()).forEach((r) => { if (r.type === 'transport') bytes += r.bytesReceived ?? 0; });
    const now = Date.now();
    if (bytes !== this.#bytesReceived) {
      this.#bytesReceived = bytes;
      this.#heardAt = now;
    } else if (now - this.#heardAt >= this.#silenceMs) {
      this.#heardAt = now + RESTART_RETRY_MS - this.#silenceMs; // the next one no sooner than RESTART_RETRY_MS
      this.restartIce();
    }
  }

  #iceStateChanged() {
    const state = this.pc.iceConnectionState;
    clearTimeout(this.#disconnectTimer);
    if (state === 'failed') this.restartIce();
    if (state === 'disconnected') {
      this.#disconnectTimer = setTimeout(() => {
        if (this.pc.iceConnectionState === 'disconnected') this.restartIce();
      }, DISCONNECTED_GRACE_MS);
    }
  }

  /**
   * Restarts ICE (also when the browser reports a new network): again soon while its request gets no answer,
   * and every RESTART_RETRY_MS while an answered one does not reconnect. A refusal (the stream gone) ends it.
   */
  async restartIce(attempt = 1) {
    if (this.#restarting || !this.#link.restartIce || this.pc.signalingState === 'closed') return;
    if (attempt === 1 && this.#restartTimer) return;
    this.#restartTimer = null;
    this.#restarting = true;
    let unanswered = false;
    try {
      await this.pc.setLocalDescription(await this.pc.createOffer({ iceRestart: true }));
      const sdp = await this.#link.restartIce(this.pc.localDescription.sdp);
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (e) {
      unanswered = e.code === SdkError.NOT_CONNECTED.code;
      // back to the last answered state, which the next try (or the browser's own checks) goes on from
      if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' }).catch(() => null);
      if (!unanswered) return;
    } finally {
      this.#restarting = false;
    }
    if (attempt >= RESTART_ATTEMPTS) return;
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      const state = this.pc.iceConnectionState;
      if (this.pc.signalingState !== 'closed' && (unanswered || state === 'disconnected' || state === 'failed')) this.restartIce(attempt + 1);
    }, unanswered ? RESTART_REQUEST_RETRY_MS : RESTART_RETRY_MS);
  }

  close() {
    clearTimeout(this.#disconnectTimer);
    clearTimeout(this.#restartTimer);
    clearInterval(this.#watchdog);
    this.pc.close();
  }
}

/** A stream this engine publishes: its MediaStream and its sendonly peer connection. */
export class Publication extends MediaConnection {
  constructor(streamID, localStream, options = {}, link = {}) {
    super(streamID, link);
    this.localStream = localStream;
    this.options = options; // what it is published with again after a recovery
  }

  /** The offer: the local tracks, sendonly; video limited to the codec the app asked for, if any. */
  async offer(videoCodec) {
    for (const track of this.localStream.getTracks()) {
      const transceiver = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.localStream] });
      if (track.kind === 'video' && videoCodec && typeof RTCRtpSender.getCapabilities === 'function') {
        const all = RTCRtpSender.getCapabilities('video').codecs;
        const wanted = all.filter((c) => c.mimeType.toUpperCase() === `VIDEO/${videoCodec.toUpperCase()}`);
        // keep retransmission and FEC helpers after the chosen codec
        const helpers = all.filter((c) => /rtx|red|ulpfec/i.test(c.mimeType));
        if (wanted.length > 0) transceiver.setCodecPreferences([...wanted, ...helpers]);
      }
    }
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.pc.localDescription.sdp;
  }
}

/**
 * A stream this engine plays: its recvonly peer connection and the MediaStream it resolves. Played again
 * after a recovery or a move, the new connection's tracks replace the old ones in the same MediaStream, so the
 * app's video element (whose srcObject it is) shows the stream again by itself.
 */
export class Subscription extends MediaConnection {
  #held = null; // tracks of this connection not yet in the MediaStream (a move: the old connection still shows)

  /**
   * @param remoteStream the MediaStream to play into (the app's, when played again)
   * @param hold whether this connection's tracks wait for commit() before they replace the stream's (a move
   *   to another gateway: the old connection keeps showing until this one decodes)
   * @param link the TURN servers and the ICE restart request (MediaConnection)
   */
  constructor(streamID, remoteStream = new MediaStream(), hold = false, link = {}) {
    super(streamID, link, PLAYER_SILENCE_MS);
    this.remoteStream = remoteStream;
    if (hold) this.#held = [];
    this.pc.addEventListener('track', (e) => {
      if (this.#held) this.#held.push(e.track); else this.#replace(e.track);
    });
  }

  #replace(track) {
    for (const old of this.remoteStream.getTracks().filter((t) => t.kind === track.kind)) {
      this.remoteStream.removeTrack(old);
      old.stop();
    }
    this.remoteStream.addTrack(track);
  }

  /** Resolves once this connection has decoded a video frame (or has no video), or after timeoutMs. */
  async firstFrame(timeoutMs) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const stats = await this.pc.getStats();
      let video = false;
      let decoded = false;
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          video = true;
          decoded ||= (r.framesDecoded ?? 0) > 0;
        }
      });
      if (decoded || (!video && this.pc.getReceivers().every((r) => r.track.kind !== 'video'))) return true;
      await new Promise((r) => setTimeout(r, 40));
    }
    return false;
  }

  /** The held tracks replace the stream's own, at once. */
  commit() {
    const held = this.#held ?? [];
    this.#held = null;
    held.forEach((track) => this.#replace(track));
  }

  /** The peer connection only: the MediaStream stays for the same stream played again. */
  suspend() {
    super.close();
  }

  async offer() {
    this.pc.addTransceiver('audio', { direction: 'recvonly' });
    this.pc.addTransceiver('video', { direction: 'recvonly' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.pc.localDescription.sdp;
  }

  close() {
    super.close();
    (this.#held ?? []).forEach((t) => t.stop());
    this.remoteStream.getTracks().forEach((t) => t.stop());
  }
}
