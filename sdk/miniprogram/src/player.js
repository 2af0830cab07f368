// ZEGO's mini-program player (getPlayerInstance(streamID)): one per streamID and engine. play() asks
// the gateway for an HTTP-FLV (or RTMP) address (`play` with transport, docs/protocol.md) and puts a
// <live-player> entry into the page's player list; the component's state codes then say whether the
// picture plays (state-codes.js).
import { SdkError, failure, fromReply } from './errors.js';
import { netStatusInfo, statsFromNetStatus } from './net-status.js';
import { componentCode, playerChange } from './state-codes.js';

/** <live-player> attributes for a consultation; setAttributes overrides them. */
export const PLAYER_DEFAULTS = Object.freeze({
  mode: 'RTC', // WeChat's low-latency mode for calls
  autoplay: true,
  muted: false,
  orientation: 'vertical',
  objectFit: 'contain', // the whole picture: cropping could hide what the patient is showing
  // seconds of buffer: small for a conversation (WeChat's defaults, 1 and 3, suit broadcasts)
  minCache: 0.2,
  maxCache: 0.8,
  soundMode: 'speaker',
});

const TRANSPORTS = ['flv', 'rtmp'];

export class ZegoWxPlayer {
  #starting = null; // the play() in flight, if any
  #port;
  #streamID;
  #transport = 'flv';
  #overrides = {};
  #active = false; // from play() until stop() or a failure
  #entry = null; // the page's live-player entry, once the gateway gave the address
  #state = 'NO_PLAY';
  #attempt = 0; // bumped by every play and end, so that a late reply of an abandoned request is ignored
  #refreshed = false; // the one fresh address after -2301 is used up (until PLAYING again)
  #freezes = 0; // 2105 stalls since play()
  #freezesReported = 0;
  #lastNetStatusAt;
  #options = {}; // play()'s options: what a recovery plays with again
  #suspended = false; // the session is being recovered: play again when the stream is back

  /** @param port as for ZegoWxPusher; plus now() */
  constructor(port, streamID) {
    this.#port = port;
    this.#streamID = streamID;
  }

  get streamID() { return this.#streamID; }

  get state() { return this.#state; }

  /**
   * Plays: PLAY_REQUESTING now, PLAYING when the live-player shows the picture (2003/2004), or NO_PLAY
   * with a code. Resolves true once the entry is in the page's player list, false otherwise (never
   * rejects; the reason is the NO_PLAY event's errorCode). True at once when already playing.
   */
  async play(options = {}) {
    if (this.#starting) return this.#starting; // a second call while the first is out shares its outcome
    if (this.#active) return true;
    this.#starting = this.#start(options);
    try {
      return await this.#starting;
    } finally {
      this.#starting = null;
    }
  }

  async #start(options) {
    const attempt = ++this.#attempt;
    const port = this.#port;
    this.#active = true;
    this.#options = options;
    this.#suspended = false;
    this.#refreshed = false;
    this.#freezes = 0;
    this.#freezesReported = 0;
    this.#lastNetStatusAt = undefined;
    this.#change('PLAY_REQUESTING', 0);
    try {
      const transport = options.transport ?? 'flv';
      if (!TRANSPORTS.includes(transport)) throw failure(SdkError.INVALID_ARGUMENT, "play({transport: 'flv' | 'rtmp'})");
      if (!port.alive()) throw failure(SdkError.ENGINE_DESTROYED);
      if (!port.room()) throw failure(SdkError.NOT_LOGGED_IN);
      if (!port.view.bound) throw failure(SdkError.CONTEXT_NOT_INITIALIZED);
      this.#transport = transport;
      const url = await this.#address(attempt);
      if (url === null) return false; // stopped meanwhile
      const id = this.#streamID;
      this.#entry = { ...PLAYER_DEFAULTS, ...this.#overrides, id, playerId: id, streamID: id, transport, url, src: url };
      port.view.putPlayer(this.#entry);
      return true;
    } catch (e) {
      if (attempt === this.#attempt) this.#finish(e.code ?? SdkError.NOT_CONNECTED.code, e.msg ?? '');
      return false;
    }
  }

  /** Stops playing: stopPlay, the entry leaves the player list, NO_PLAY (0). False when not playing. */
  stop() {
    if (this.#suspended) { // waiting to play again after a recovery: it no longer will
      this.#suspended = false;
      this.#change('NO_PLAY', 0);
      return true;
    }
    if (!this.#active) return false;
    this.#port.request('stopPlay', { streamID: this.#streamID }).catch(() => null);
    this.#finish(0, '');
    return true;
  }

  /** Changes live-player attributes (muted, objectFit, soundMode …); applied at once while playing. */
  setAttributes(attributes = {}) {
    const { id, playerId, streamID, url, src, transport, ...rest } = attributes; // the SDK's to set
    Object.assign(this.#overrides, rest);
    if (this.#entry) {
      this.#entry = { ...this.#entry, ...rest };
      this.#port.view.putPlayer(this.#entry);
    }
  }

  // --- from the engine -----------------------------------------------------------------------------

  /** A live-player bindstatechange event. */
  stateChanged(e) {
    if (!this.#entry) return;
    const { code, message } = componentCode(e);
    const change = playerChange(code);
    if (!change) return;
    if (change.freeze) {
      this.#freezes++;
    } else if (change.state === 'PLAYING') {
      this.#refreshed = false;
      this.#change('PLAYING', 0);
    } else if (change.state === 'PLAY_REQUESTING') {
      this.#change('PLAY_REQUESTING', 0);
    } else if (change.refresh && !this.#refreshed) {
      // The component gave up reconnecting. Its address's key admits reconnects while the playback
      // is open, but only a first connection within keyExpireTime: if the first one never came in
      // time (the page was hidden, the network away), only a fresh address helps. Ask once.
      this.#refreshed = true;
      this.#change('PLAY_REQUESTING', 0);
      this.#refresh();
    } else {
      this.#fail(change.errorCode, JSON.stringify({ code, message }));
    }
  }

  /** A live-player bindnetstatus event: playQualityUpdate, and a stats sample for the gateway. */
  netStatusChanged(e) {
    if (!this.#entry) return false;
    const now = this.#port.now();
    const since = this.#lastNetStatusAt === undefined ? 0 : now - this.#lastNetStatusAt;
    this.#lastNetStatusAt = now;
    const stats = statsFromNetStatus(netStatusInfo(e), {
      direction: 'play',
      freezeCount: this.#freezes,
      freezes: this.#freezes - this.#freezesReported,
      windowMs: since > 0 ? since : undefined,
    });
    this.#freezesReported = this.#freezes;
    this.#port.quality.report('play', this.#streamID, stats);
    return true;
  }

  /** The room is over, or the publisher stopped: the gateway has ended the playback itself. */
  end(code, why = '') {
    if (this.#suspended) {
      this.#suspended = false;
      this.#change('NO_PLAY', code, why);
      return;
    }
    if (this.#active) this.#finish(code, why);
  }

  /** Whether it waits to play again after a recovery. */
  get suspended() { return this.#suspended; }

  /**
   * The session was lost and is being recovered: the entry leaves the page (its address is the lost
   * gateway's), PLAY_REQUESTING with the loss's code; resume() plays the same stream again.
   */
  suspend(code) {
    if (!this.#active) return;
    this.#attempt++;
    this.#active = false;
    this.#suspended = true;
    if (this.#entry) this.#port.view.removePlayer(this.#streamID);
    this.#entry = null;
    this.#port.quality.forget('play', this.#streamID);
    this.#change('PLAY_REQUESTING', code);
  }

  /** Its stream is in the room again after a recovery: it plays again (a new address, from the new gateway). */
  resume() {
    if (!this.#suspended) return;
    this.#suspended = false;
    this.#state = 'NO_PLAY'; // so that play() reports PLAY_REQUESTING afresh
    this.play(this.#options);
  }

  // --- internals -----------------------------------------------------------------------------------

  /** A play address from the gateway; null when the request was abandoned meanwhile. */
  async #address(attempt) {
    const reply = await this.#port.request('play', { streamID: this.#streamID, transport: this.#transport });
    if (!reply.ok) throw fromReply(reply);
    return attempt === this.#attempt ? reply.data.url : null;
  }

  async #refresh() {
    const attempt = this.#attempt;
    try {
      const url = await this.#address(attempt);
      if (url === null) return;
      this.#entry = { ...this.#entry, url, src: url }; // a new src: the live-player starts over with it
      this.#port.view.putPlayer(this.#entry);
    } catch (e) {
      if (attempt === this.#attempt) this.#fail(e.code ?? SdkError.NOT_CONNECTED.code, e.msg ?? '');
    }
  }

  /** The component or the gateway gave up: tell the gateway (its key would admit reconnects), then NO_PLAY. */
  #fail(errorCode, extendedData) {
    this.#port.request('stopPlay', { streamID: this.#streamID }).catch(() => null);
    this.#finish(errorCode, extendedData);
  }

  #finish(errorCode, extendedData) {
    this.#attempt++;
    this.#active = false;
    if (this.#entry) this.#port.view.removePlayer(this.#streamID);
    this.#entry = null;
    this.#port.quality.forget('play', this.#streamID);
    this.#change('NO_PLAY', errorCode, extendedData);
  }

  /** playerStateUpdate on a change of state only: the component repeats its codes while it retries. */
  #change(state, errorCode, extendedData = '') {
    if (state === this.#state) return;
    this.#state = state;
    this.#port.emit('playerStateUpdate', { streamID: this.#streamID, state, errorCode, extendedData });
  }
}
