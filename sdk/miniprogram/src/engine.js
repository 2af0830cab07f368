// ZegoExpressEngine for mini-programs: the room API and events of the Web SDK (the same RoomSession
// and signaling code, over wx/my.connectSocket), with publishing and playing through the page's
// <live-pusher> and <live-player>, as ZEGO's mini-program tutorial drives them (docs/sdk-miniprogram.md).
import { Emitter } from '../../web/src/emitter.js';
import { RoomSession } from '../../web/src/room.js';
import { bindEngine, unbindEngine } from './binding.js';
import { SdkError, failure } from './errors.js';
import { PageView } from './page-view.js';
import { resolvePlatform } from './platform.js';
import { ZegoWxPlayer } from './player.js';
import { ZegoWxPusher } from './pusher.js';
import { QualityReporter } from './quality-reporter.js';
import { socketFactory } from './socket.js';

/** How long a player suspended by a lost session waits, once logged in again, for its stream to come back. */
const PLAY_AGAIN_WINDOW_MS = 30000;

export class ZegoExpressEngine {
  #events = new Emitter();
  #platform;
  #session;
  #view = new PageView();
  #quality;
  #port; // what pushers and players need of the engine
  #pusher = null;
  #players = new Map(); // streamID -> ZegoWxPlayer, the same instance for as long as the engine lives
  #destroyed = false;
  #suspendTimer = undefined; // after a recovery: when suspended players that did not come back give up

  /**
   * @param appID the app's AppID
   * @param server the gateway: wss://gateway.example/ws (or its https:// address)
   * @param options for tests and unusual hosts: wx or my (the API object to use instead of the
   *   global one), now (the clock in ms)
   */
  constructor(appID, server, options = {}) {
    const emit = (event, ...args) => this.#events.emit(event, ...args);
    const now = options.now ?? (() => Date.now());
    this.#platform = resolvePlatform(options);
    const platform = this.#platform;
    this.#session = new RoomSession(appID, server, {
      emit,
      endMedia: (code) => this.#endMedia(code),
      streamGone: (streamID) => this.#players.get(streamID)?.end(0, 'the publisher stopped'),
      suspendMedia: (code) => this.#suspendMedia(code),
      resumeMedia: (streamList) => this.#resumeMedia(streamList),
      streamsBack: (streamIDs) => streamIDs.forEach((streamID) => this.#players.get(String(streamID))?.resume()),
    }, {
      // (without a platform loginRoom refuses with 10416 before any socket is asked for)
      createSocket: platform ? socketFactory(platform) : () => { throw new Error(SdkError.PLATFORM_UNSUPPORTED.msg); },
    });
    this.#quality = new QualityReporter({
      emit,
      send: (streamID, direction, stats) => this.#session.request('stats', { streamID, direction, stats }).catch(() => null),
      now,
    });
    this.#port = {
      alive: () => !this.#destroyed,
      room: () => this.#session.room,
      request: (type, fields) => this.#session.request(type, fields),
      view: this.#view,
      quality: this.#quality,
      emit,
      now,
      livePusherContext: () => (typeof platform?.api.createLivePusherContext === 'function'
        ? platform.api.createLivePusherContext() : null),
    };
  }

  on(event, handler) { return this.#events.on(event, handler); }

  off(event, handler) { return this.#events.off(event, handler); }

  /** Resolves true once logged in; rejects {code, msg}. Creates the room if it does not exist. */
  async loginRoom(roomID, token, user, config = {}) {
    this.#alive();
    if (!this.#platform) throw failure(SdkError.PLATFORM_UNSUPPORTED);
    return this.#session.login(roomID, token, user, config);
  }

  /** Stops the pusher and the players (their entries leave the page) and leaves the room. */
  logoutRoom(roomID) {
    return this.#session.logout(roomID);
  }

  /** Resolves {errorCode, messageID}; errorCode 0 when sent. */
  sendBroadcastMessage(roomID, message) {
    return this.#session.sendBroadcastMessage(roomID, message);
  }

  /** Resolves true when the gateway accepted the new token. */
  renewToken(token, roomID) {
    return this.#session.renewToken(token, roomID);
  }

  /**
   * Binds the page (or component) whose data the components render: the SDK writes the live-pusher's
   * attributes under pushAtr and the live-player list under playAtr, and the components find this
   * engine through it. False when wxContext has no setData or a name is not a string.
   */
  initContext({ wxContext, pushAtr = 'pusher', playAtr = 'playerList' } = {}) {
    if (this.#destroyed) return false;
    const previous = this.#view.context;
    if (!this.#view.bind(wxContext, pushAtr, playAtr)) return false;
    if (previous && previous !== wxContext) unbindEngine(previous, this);
    bindEngine(wxContext, this);
    return true;
  }

  /** The engine's pusher (one: a page has one live-pusher); attributes override the live-pusher defaults. */
  createPusher(attributes) {
    if (!this.#pusher) this.#pusher = new ZegoWxPusher(this.#port, attributes);
    else if (attributes) this.#pusher.setAttributes(attributes);
    return this.#pusher;
  }

  getPusherInstance() {
    return this.createPusher();
  }

  /** The player of a streamID: the same object every time for this engine. */
  getPlayerInstance(streamID) {
    const id = String(streamID);
    let player = this.#players.get(id);
    if (!player) {
      player = new ZegoWxPlayer(this.#port, id);
      this.#players.set(id, player);
    }
    return player;
  }

  /** The live-pusher's bindstatechange (or binderror) event; <zego-pusher> calls it. */
  updatePusherState(e) {
    this.#pusher?.stateChanged(e);
  }

  /** The live-pusher's bindnetstatus event: publishQualityUpdate. <zego-pusher> calls it. */
  updatePusherNetStatus(e) {
    return this.#pusher ? this.#pusher.netStatusChanged(e) : false;
  }

  /** A live-player's bindstatechange event; with the pusher's streamID, the live-pusher's. */
  updatePlayerState(streamID, e) {
    if (this.#isPusher(streamID)) this.#pusher.stateChanged(e);
    else this.#players.get(String(streamID))?.stateChanged(e);
  }

  /**
   * A live-player's bindnetstatus event: playQualityUpdate; with the pusher's streamID, the
   * live-pusher's: publishQualityUpdate (as ZEGO's tutorial uses it). False for an unknown stream.
   */
  updatePlayerNetStatus(streamID, e) {
    if (this.#isPusher(streamID)) return this.#pusher.netStatusChanged(e);
    return this.#players.get(String(streamID))?.netStatusChanged(e) ?? false;
  }

  /** Camera zoom (1 = none) through wx.createLivePusherContext(); rejects ZOOM_UNSUPPORTED. */
  setCameraZoom(zoom) {
    return this.createPusher().setZoom(zoom);
  }

  /** The camera's largest zoom, or 1 where it cannot be known. */
  getCameraMaxZoom() {
    return this.createPusher().getMaxZoom();
  }

  /** Stops pusher and players, clears the page's fields, closes the socket; the engine is done. */
  destroyEngine() {
    if (this.#destroyed) return;
    const room = this.#session.close(); // ends the media (endMedia) and closes the socket
    const context = this.#view.context;
    this.#view.unbind();
    if (context) unbindEngine(context, this);
    this.#players.clear();
    this.#destroyed = true;
    if (room) this.#events.emit('roomStateUpdate', room, 'DISCONNECTED', 0, '');
  }

  // --- internals -----------------------------------------------------------------------------------

  #isPusher(streamID) {
    return this.#pusher !== null && this.#pusher.streamID !== null && this.#pusher.streamID === streamID;
  }

  /**
   * The session was lost and the room is logging in again: the pusher and the players leave the page and
   * report REQUESTING with the loss's code, keeping what to publish and play again.
   */
  #suspendMedia(code) {
    clearTimeout(this.#suspendTimer); // a second loss soon after a recovery: a new window
    this.#pusher?.suspend(code);
    for (const player of this.#players.values()) player.suspend(code);
  }

  /**
   * Logged in again: the pusher publishes again, each suspended player plays again once its stream is in the
   * room (now, or when its publisher is back); one not back within the window ends (NO_PLAY, CONNECTION_LOST).
   */
  #resumeMedia(streamList) {
    this.#pusher?.resume();
    for (const stream of streamList) this.#players.get(String(stream.streamID))?.resume();
    clearTimeout(this.#suspendTimer);
    this.#suspendTimer = setTimeout(() => {
      for (const player of this.#players.values()) {
        if (player.suspended) player.end(SdkError.CONNECTION_LOST.code, 'the stream did not come back');
      }
    }, PLAY_AGAIN_WINDOW_MS);
  }

  /** The room is over: the pusher and every player stop with this code, and the page's fields empty. */
  #endMedia(code) {
    clearTimeout(this.#suspendTimer);
    this.#pusher?.end(code);
    for (const player of this.#players.values()) player.end(code);
    this.#view.clear();
  }

  #alive() {
    if (this.#destroyed) throw failure(SdkError.ENGINE_DESTROYED);
  }
}
