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
 * after a recovery, the new connection's tracks replace the old ones in the same MediaStream, so the app's
 * video element (whose srcObject it is) shows the stream again by itself.
 */
export class Subscription extends MediaConnection {
  constructor(streamID, remoteStream = new MediaStream()) {
    super(streamID);
    this.remoteStream = remoteStream;
    this.pc.addEventListener('track', (e) => {
      for (const old of this.remoteStream.getTracks().filter((t) => t.kind === e.track.kind)) {
        this.remoteStream.removeTrack(old);
        old.stop();
      }
      this.remoteStream.addTrack(e.track);
    });
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
    this.remoteStream.getTracks().forEach((t) => t.stop());
  }
}
