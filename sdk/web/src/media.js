// The peer connections: one per published or played stream. The client always offers (sendonly to
// publish, recvonly to play); the gateway answers (docs/protocol.md, "Media").
import { SdkError, failure } from './errors.js';

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

/** What both kinds of stream share: one peer connection to the gateway, answered, and its last stats. */
class MediaConnection {
  constructor(streamID) {
    this.streamID = streamID;
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.lastStats = undefined;
    this.lastStatsAt = 0;
  }

  async answer(sdp) {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await connected(this.pc);
  }

  close() {
    this.pc.close();
  }
}

/** A stream this engine publishes: its MediaStream and its sendonly peer connection. */
export class Publication extends MediaConnection {
  constructor(streamID, localStream, options = {}) {
    super(streamID);
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
   */
  constructor(streamID, remoteStream = new MediaStream(), hold = false) {
    super(streamID);
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
