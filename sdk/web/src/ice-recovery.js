// Keeping one answered peer connection to the gateway alive across network changes (docs/sdk.md, "Networks
// that block UDP, and networks that change"): it restarts ICE — a new offer with new ICE credentials, answered
// through the session's `restartIce` request; DTLS and the stream go on — when ICE fails, stays disconnected,
// nothing arrives for a while, or the browser reports a new network.
import { SdkError } from './errors.js';

/** How long ICE may stay 'disconnected' before a restart (a network change: Wi-Fi to 4G). */
const DISCONNECTED_GRACE_MS = 1000;
/**
 * Between restarts that were answered but did not reconnect, and between tries of one whose request got no
 * answer (the signaling socket reconnecting too); the gateway ends a connection silent for 15 s.
 */
const RESTART_RETRY_MS = 1000;
const RESTART_REQUEST_RETRY_MS = 300;
const RESTART_ATTEMPTS = 20;
/**
 * Nothing received on a connected connection for this long restarts ICE once (a browser notices a lost network
 * seconds late: measured 5.5 s after its address went). A player gets media all the time (video frames; audio
 * at least every 400 ms even with DTX in silence), a publisher the gateway's reports each second. A stream
 * silent for its own reasons (its publisher's network) costs one restart per silence, not one a second.
 */
export const PLAYER_SILENCE_MS = 1000;
export const PUBLISHER_SILENCE_MS = 1500;
/** getStats costs the page CPU: twice a second per connection is enough for a one-second threshold. */
const WATCH_MS = 500;

export class IceRecovery {
  #pc;
  #signal;
  #silenceMs;
  #onRefused;
  #restarting = false;
  #retryTimer = null; // the next try of a restart under way: no second restart starts meanwhile
  #disconnectTimer = null;
  #watchdog = null;
  #bytesReceived = -1;
  #heardAt = Date.now();
  #restartedThisSilence = false;
  #stopped = false;

  /**
   * @param pc an answered, connected peer connection
   * @param signal (offerSdp) → Promise<answerSdp>: the session's restartIce request; rejects {code} (10401 when
   *   it got no answer, the gateway's code when refused)
   * @param silenceMs PLAYER_SILENCE_MS or PUBLISHER_SILENCE_MS
   * @param onRefused called once when the gateway refuses a restart (it no longer has the connection)
   */
  constructor(pc, signal, silenceMs, onRefused = () => {}) {
    this.#pc = pc;
    this.#signal = signal;
    this.#silenceMs = silenceMs;
    this.#onRefused = onRefused;
    pc.addEventListener('iceconnectionstatechange', () => this.#iceStateChanged());
    this.#watchdog = setInterval(() => this.#checkHeard().catch(() => null), WATCH_MS);
  }

  /** Restarts ICE (also when the browser reports a new network). */
  restart() {
    this.#restart(1);
  }

  stop() {
    this.#stopped = true;
    clearInterval(this.#watchdog);
    clearTimeout(this.#disconnectTimer);
    clearTimeout(this.#retryTimer);
  }

  async #checkHeard() {
    if (this.#stopped || this.#restarting) return;
    let bytes = 0;
    (await this.#pc.getStats()).forEach((r) => { if (r.type === 'transport') bytes += r.bytesReceived ?? 0; });
    const now = Date.now();
    if (bytes !== this.#bytesReceived) {
      this.#bytesReceived = bytes;
      this.#heardAt = now;
      this.#restartedThisSilence = false;
    } else if (now - this.#heardAt >= this.#silenceMs && !this.#restartedThisSilence) {
      this.#restartedThisSilence = true;
      this.restart();
    }
  }

  #iceStateChanged() {
    const state = this.#pc.iceConnectionState;
    clearTimeout(this.#disconnectTimer);
    if (state === 'failed') this.restart();
    if (state === 'disconnected') {
      this.#disconnectTimer = setTimeout(() => {
        if (this.#pc.iceConnectionState === 'disconnected') this.restart();
      }, DISCONNECTED_GRACE_MS);
    }
  }

  /**
   * One try: again soon while its request gets no answer, and every RESTART_RETRY_MS while an answered one does
   * not reconnect ICE. A refusal (the gateway no longer has the connection) ends the recovery.
   */
  async #restart(attempt) {
    if (this.#stopped || this.#restarting || this.#pc.signalingState === 'closed') return;
    if (attempt === 1 && this.#retryTimer) return;
    this.#retryTimer = null;
    this.#restarting = true;
    let unanswered = false;
    try {
      await this.#pc.setLocalDescription(await this.#pc.createOffer({ iceRestart: true }));
      const sdp = await this.#signal(this.#pc.localDescription.sdp);
      if (this.#stopped) return;
      await this.#pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (e) {
      // the session's failures carry {code, msg}; the browser's own (a DOMException: the connection closing) do not
      const fromSession = typeof e === 'object' && e !== null && 'msg' in e;
      unanswered = fromSession && e.code === SdkError.NOT_CONNECTED.code;
      // back to the last answered state, which the next try (or the browser's own checks) goes on from
      if (this.#pc.signalingState === 'have-local-offer') await this.#pc.setLocalDescription({ type: 'rollback' }).catch(() => null);
      if (fromSession && !unanswered && !this.#stopped) {
        this.stop(); // refused: the gateway no longer has this connection
        this.#onRefused(e);
      }
      if (!unanswered) return;
    } finally {
      this.#restarting = false;
    }
    if (attempt >= RESTART_ATTEMPTS || this.#stopped) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      const state = this.#pc.iceConnectionState;
      if (unanswered || state === 'disconnected' || state === 'failed') this.#restart(attempt + 1);
    }, unanswered ? RESTART_REQUEST_RETRY_MS : RESTART_RETRY_MS);
  }
}
