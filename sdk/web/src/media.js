// The peer connections: one per published or played stream. The client always offers (sendonly to
// publish, recvonly to play); the gateway answers (docs/protocol.md, "Media").
import { SdkError, failure } from './errors.js';
import { IceRecovery, PLAYER_SILENCE_MS, PUBLISHER_SILENCE_MS } from './ice-recovery.js';

const CONNECT_TIMEOUT_MS = 10000;

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
 * answered and connected, an IceRecovery keeps it alive across network changes (ice-recovery.js).
 */
class MediaConnection {
  #session;
  #silenceMs;
  #recovery = null;
  #closed = false;

  /**
   * @param session {iceServers, restartIce(offerSdp) → Promise<answerSdp>, lost(connection, error)}: the login reply's TURN
   *   servers (the gateway's own candidates need no STUN), the signaling request of an ICE restart, and what to do
   *   when the gateway refuses one (it no longer has this connection)
   */
  constructor(streamID, session = {}, silenceMs = PUBLISHER_SILENCE_MS) {
    this.streamID = streamID;
    this.#session = session;
    this.#silenceMs = silenceMs;
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: session.iceServers ?? [] });
    this.lastStats = undefined;
    this.lastStatsAt = 0;
  }

  async answer(sdp) {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await connected(this.pc);
    // only now: a restart while the first offer waits for its answer would replace that offer
    if (!this.#closed && this.#session.restartIce) {
      this.#recovery = new IceRecovery(this.pc, this.#session.restartIce, this.#silenceMs, (e) => this.#session.lost?.(this, e));
    }
  }

  /** Restarts ICE now (the browser reports a new network); nothing before the connection is answered. */
  restartIce() {
    this.#recovery?.restart();
  }

  close() {
    this.#closed = true;
    this.#recovery?.stop();
    this.pc.close();
  }
}

/** A stream this engine publishes: its MediaStream and its sendonly peer connection. */
export class Publication extends MediaConnection {
  constructor(streamID, localStream, options = {}, session = {}) {
    super(streamID, session);
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
   * @param session the TURN servers, the ICE restart request and what a refused one means (MediaConnection)
   */
  constructor(streamID, remoteStream = new MediaStream(), hold = false, session = {}) {
    super(streamID, session, PLAYER_SILENCE_MS);
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
