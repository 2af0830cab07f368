// ZegoExpressEngine: the API of ../shared/CLIENT-API.md for web pages, over Wenzhen's gateway.
import { Emitter } from './emitter.js';
import { SdkError, failure, fromReply } from './errors.js';
import { Publication, Subscription } from './media.js';
import { QUALITY_INTERVAL_MS, playStats, publishStats } from './quality.js';
import { RoomSession } from './room.js';


/** ZEGO's camera presets (videoQuality 1–3); 4 means the width/height/frameRate given. */
const VIDEO_PRESETS = { 1: [320, 240, 15], 2: [640, 480, 15], 3: [1280, 720, 20] };
/** How long a play suspended by a lost session waits, once logged in again, for its stream to come back. */
const PLAY_AGAIN_WINDOW_MS = 30000;
/** How long a play moving to another gateway waits for its first decoded frame before it shows the new one anyway. */
const MOVE_FIRST_FRAME_MS = 3000;
/** An ICE restart's request: no reply by then, and it is sent again (over the resumed socket, if it had died). */
const RESTART_REQUEST_TIMEOUT_MS = 2000;

export class ZegoExpressEngine {
  #events = new Emitter();
  #session; // the room: login, room events, the signaling socket (room.js, shared with the mini-program SDK)
  #publications = new Map();
  #subscriptions = new Map();
  #createdStreams = new Set();
  // while a lost session is recovered: what was published and played, to start again once logged in
  #suspendedPublications = new Map(); // streamID -> Publication (closed)
  #suspendedPlays = new Map(); // streamID -> the MediaStream the app holds
  #suspendTimer = null;
  #qualityTimer = null;
  #destroyed = false;
  // the browser reports a new network (back online, another connection type): every connection restarts ICE now.
  // navigator.connection also says 'change' when only its speed estimate moved: that is no new network.
  #networkType = JSON.stringify([globalThis.navigator?.connection?.type, globalThis.navigator?.connection?.effectiveType]);
  #networkChanged = (event) => {
    const type = JSON.stringify([globalThis.navigator?.connection?.type, globalThis.navigator?.connection?.effectiveType]);
    if (event?.type === 'change' && type === this.#networkType) return;
    this.#networkType = type;
    [...this.#publications.values(), ...this.#subscriptions.values()].forEach((c) => c.restartIce());
  };

  /**
   * @param appID the app's AppID (a number, as the console shows it)
   * @param server the gateway: wss://gateway.example/ws (or its https:// address)
   */
  constructor(appID, server) {
    this.#session = new RoomSession(appID, server, {
      emit: (event, ...args) => this.#events.emit(event, ...args),
      endMedia: (code) => this.#endMedia(code),
      streamGone: (streamID) => this.#endPlay(streamID, 0, 'the publisher stopped'),
      publishEnded: (streamID, code, why) => this.#endPublish(streamID, code, why),
      suspendMedia: (code) => this.#suspendMedia(code),
      resumeMedia: (streamList) => this.#resumeMedia(streamList),
      streamsBack: (streamIDs) => streamIDs.forEach((streamID) => this.#playAgain(streamID)),
      moveMedia: () => this.#moveMedia(),
    });
    globalThis.addEventListener?.('online', this.#networkChanged);
    globalThis.navigator?.connection?.addEventListener?.('change', this.#networkChanged);
  }

  on(event, handler) { return this.#events.on(event, handler); }

  off(event, handler) { return this.#events.off(event, handler); }

  /** Resolves true once logged in; rejects {code, msg}. Creates the room if it does not exist. */
  async loginRoom(roomID, token, user, config = {}) {
    this.#alive();
    await this.#session.login(roomID, token, user, config);
    if (!this.#destroyed) this.#startQualityTimer(); // (an app may destroy the engine in its CONNECTED handler)
    return true;
  }

  /** Stops this engine's streams in the room and leaves it. */
  logoutRoom(roomID) {
    return this.#session.logout(roomID);
  }

  /** The local camera and microphone. Rejects {code, msg} when the device cannot be opened. */
  async createStream(source = {}) {
    this.#alive();
    const camera = source.camera ?? { audio: true, video: true };
    let video = camera.video === false ? false : {};
    if (video) {
      const [width, height, frameRate] = VIDEO_PRESETS[camera.videoQuality]
        ?? [camera.width ?? 640, camera.height ?? 480, camera.frameRate ?? 15];
      video = { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: frameRate } };
      if (camera.facingMode) video.facingMode = camera.facingMode;
      if (camera.deviceID) video.deviceId = { exact: camera.deviceID };
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: camera.audio !== false, video });
      this.#createdStreams.add(stream);
      return stream;
    } catch (e) {
      throw failure(SdkError.DEVICE_FAILED, e && e.name);
    }
  }

  /** Stops a stream made by createStream. */
  destroyStream(localStream) {
    localStream?.getTracks().forEach((t) => t.stop());
    this.#createdStreams.delete(localStream);
  }

  /**
   * Publishes a local stream. Returns true when the request is under way; the outcome comes as
   * publisherStateUpdate (PUBLISH_REQUESTING, then PUBLISHING or NO_PUBLISH with a code).
   */
  startPublishingStream(streamID, localStream, options = {}) {
    if (this.#destroyed || typeof streamID !== 'string' || !localStream) return false;
    if (this.#publications.has(streamID)) return false;
    this.#suspendedPublications.delete(streamID); // published anew by the app: not again by the recovery
    const publication = new Publication(streamID, localStream, options, this.#mediaSession(streamID, 'publish'));
    this.#publications.set(streamID, publication);
    this.#publisherState(streamID, 'PUBLISH_REQUESTING', 0);
    (async () => {
      if (!this.#session.room) throw failure(SdkError.NOT_LOGGED_IN);
      const offer = await publication.offer(options.videoCodec);
      const reply = await this.#session.request('publish', { streamID, extraInfo: options.extraInfo ?? '', sdp: offer });
      if (!reply.ok) throw fromReply(reply);
      if (this.#publications.get(streamID) !== publication) return; // stopped meanwhile
      await publication.answer(reply.data.sdp);
      if (this.#publications.get(streamID) === publication) this.#publisherState(streamID, 'PUBLISHING', 0);
    })().catch((e) => {
      if (this.#publications.get(streamID) !== publication) return;
      this.#publications.delete(streamID);
      publication.close();
      if (e.code === SdkError.MEDIA_FAILED.code) this.#session.request('unpublish', { streamID }).catch(() => null);
      this.#publisherState(streamID, 'NO_PUBLISH', e.code ?? SdkError.MEDIA_FAILED.code, e.msg);
    });
    return true;
  }

  stopPublishingStream(streamID) {
    if (this.#suspendedPublications.delete(streamID)) { // waiting to publish again after a recovery: it no longer will
      this.#publisherState(streamID, 'NO_PUBLISH', 0);
      return true;
    }
    const publication = this.#publications.get(streamID);
    if (!publication) return false;
    this.#publications.delete(streamID);
    // the connection closes once the gateway has ended the publication: closed first, the gateway would see the
    // connection end before the unpublish, and take it for a lost one (publishEnded)
    this.#session.request('unpublish', { streamID }).catch(() => null).finally(() => publication.close());
    this.#publisherState(streamID, 'NO_PUBLISH', 0);
    return true;
  }

  /** Resolves the remote MediaStream once media flows; playerStateUpdate reports the same. */
  async startPlayingStream(streamID) {
    this.#alive();
    if (!this.#session.room) throw failure(SdkError.NOT_LOGGED_IN);
    const existing = this.#subscriptions.get(streamID);
    if (existing) return existing.remoteStream;
    const suspended = this.#suspendedPlays.get(streamID);
    this.#suspendedPlays.delete(streamID);
    return this.#play(streamID, new Subscription(streamID, suspended, false, this.#mediaSession(streamID, 'play')));
  }

  /** Plays a stream into the subscription's MediaStream: PLAY_REQUESTING, then PLAYING or NO_PLAY. */
  async #play(streamID, subscription) {
    this.#subscriptions.set(streamID, subscription);
    this.#playerState(streamID, 'PLAY_REQUESTING', 0);
    try {
      const offer = await subscription.offer();
      const reply = await this.#session.request('play', { streamID, sdp: offer });
      if (!reply.ok) throw fromReply(reply);
      await subscription.answer(reply.data.sdp);
    } catch (e) {
      if (this.#subscriptions.get(streamID) === subscription) {
        this.#subscriptions.delete(streamID);
        subscription.close();
        this.#playerState(streamID, 'NO_PLAY', e.code ?? SdkError.MEDIA_FAILED.code, e.msg);
      }
      throw e;
    }
    if (this.#subscriptions.get(streamID) !== subscription) throw failure(SdkError.NOT_PLAYING, 'stopped while starting');
    this.#playerState(streamID, 'PLAYING', 0);
    return subscription.remoteStream;
  }

  stopPlayingStream(streamID) {
    const suspended = this.#suspendedPlays.get(streamID);
    if (suspended) { // waiting to play again after a recovery: it no longer will
      this.#suspendedPlays.delete(streamID);
      suspended.getTracks().forEach((t) => t.stop());
      this.#playerState(streamID, 'NO_PLAY', 0);
      return true;
    }
    const subscription = this.#subscriptions.get(streamID);
    if (!subscription) return false;
    this.#subscriptions.delete(streamID);
    subscription.close();
    this.#session.request('stopPlay', { streamID }).catch(() => null);
    this.#playerState(streamID, 'NO_PLAY', 0);
    return true;
  }

  /** Resolves {errorCode, messageID}; errorCode 0 when sent. */
  sendBroadcastMessage(roomID, message) {
    return this.#session.sendBroadcastMessage(roomID, message);
  }

  /** Resolves true when the gateway accepted the new token. */
  renewToken(token, roomID) {
    return this.#session.renewToken(token, roomID);
  }

  /** The largest zoom factor of the stream's camera, or 1 when it cannot zoom. */
  getCameraMaxZoom(localStream) {
    const track = localStream?.getVideoTracks()[0];
    const zoom = track?.getCapabilities?.().zoom;
    return zoom && zoom.max ? zoom.max : 1;
  }

  /** Zooms the stream's camera (1 = no zoom); rejects ZOOM_UNSUPPORTED where the device cannot. */
  async setCameraZoom(localStream, factor) {
    const track = localStream?.getVideoTracks()[0];
    const zoom = track?.getCapabilities?.().zoom;
    if (!zoom) throw failure(SdkError.ZOOM_UNSUPPORTED);
    const value = Math.min(zoom.max, Math.max(zoom.min, Number(factor)));
    await track.applyConstraints({ advanced: [{ zoom: value }] });
    return value;
  }

  /** Releases camera, microphone and connections; the engine cannot be used afterwards. */
  destroyEngine() {
    if (this.#destroyed) return;
    const room = this.#session.close(); // ends the media (endMedia) and closes the socket
    this.#createdStreams.forEach((s) => s.getTracks().forEach((t) => t.stop()));
    this.#createdStreams.clear();
    if (this.#qualityTimer) clearInterval(this.#qualityTimer);
    globalThis.removeEventListener?.('online', this.#networkChanged);
    globalThis.navigator?.connection?.removeEventListener?.('change', this.#networkChanged);
    this.#destroyed = true;
    if (room) this.#events.emit('roomStateUpdate', room, 'DISCONNECTED', 0, '');
  }

  // --- internals -----------------------------------------------------------------------------------

  #publisherState(streamID, state, errorCode, extendedData = '') {
    this.#events.emit('publisherStateUpdate', { streamID, state, errorCode, extendedData });
  }

  #playerState(streamID, state, errorCode, extendedData = '') {
    this.#events.emit('playerStateUpdate', { streamID, state, errorCode, extendedData });
  }

  #endPlay(streamID, code, why) {
    const subscription = this.#subscriptions.get(streamID);
    if (!subscription) return;
    this.#subscriptions.delete(streamID);
    subscription.close();
    this.#playerState(streamID, 'NO_PLAY', code, why);
  }

  /** The gateway ended a publication on its own (its media connection was lost): NO_PUBLISH with its code. */
  #endPublish(streamID, code, why) {
    const publication = this.#publications.get(streamID);
    if (!publication) return;
    this.#publications.delete(streamID);
    publication.close();
    this.#publisherState(streamID, 'NO_PUBLISH', code, why ?? '');
  }

  /**
   * The session was lost and the room is logging in again: the peer connections close, the app hears
   * PUBLISH_REQUESTING and PLAY_REQUESTING with the code of the loss, and what was published and played is
   * kept to start again.
   */
  #suspendMedia(code) {
    if (this.#suspendTimer) clearTimeout(this.#suspendTimer); // a second loss soon after a recovery: a new window
    this.#suspendTimer = null;
    for (const [streamID, publication] of this.#publications) {
      publication.close();
      this.#suspendedPublications.set(streamID, publication);
      this.#publisherState(streamID, 'PUBLISH_REQUESTING', code);
    }
    this.#publications.clear();
    for (const [streamID, subscription] of this.#subscriptions) {
      subscription.suspend();
      this.#suspendedPlays.set(streamID, subscription.remoteStream);
      this.#playerState(streamID, 'PLAY_REQUESTING', code);
    }
    this.#subscriptions.clear();
  }

  /**
   * Logged in again: every suspended publication is published again with its stream and options, and every
   * suspended play starts again once its stream is in the room (now, or when its publisher is back); one not
   * back within the recovery's window ends (NO_PLAY, CONNECTION_LOST).
   */
  #resumeMedia(streamList) {
    const publications = [...this.#suspendedPublications.values()];
    this.#suspendedPublications.clear();
    for (const p of publications) this.startPublishingStream(p.streamID, p.localStream, p.options);
    for (const stream of streamList) this.#playAgain(stream.streamID);
    if (this.#suspendTimer) clearTimeout(this.#suspendTimer);
    this.#suspendTimer = setTimeout(() => {
      this.#suspendTimer = null;
      for (const streamID of [...this.#suspendedPlays.keys()]) {
        this.#suspendedPlays.delete(streamID);
        this.#playerState(streamID, 'NO_PLAY', SdkError.CONNECTION_LOST.code, 'the stream did not come back');
      }
    }, PLAY_AGAIN_WINDOW_MS);
  }

  /**
   * The session moved to another gateway (room.js sends requests there now): every publication is published
   * there too, every play played there into the same MediaStream, whose tracks are swapped once the new
   * connection decodes. Resolves what ends the old connections, which room.js calls once the old session is
   * left: until then the old gateway still carries the call, so the app sees and hears no break, and no state
   * change. A publication or play that cannot move stays on the old connection (and is recovered with the
   * session should the old gateway stop).
   */
  async #moveMedia() {
    const moved = [];
    const failed = [];
    const moves = [];
    for (const [streamID, publication] of this.#publications) {
      moves.push(this.#publishAgain(streamID, publication).then(() => moved.push(publication),
        (e) => failed.push(() => this.#publishAfterMove(streamID, publication, e))));
    }
    for (const [streamID, subscription] of this.#subscriptions) {
      moves.push(this.#playElsewhere(streamID, subscription).then(() => moved.push(subscription),
        (e) => failed.push(() => this.#playAfterMove(streamID, subscription, e))));
    }
    await Promise.allSettled(moves);
    return () => {
      moved.forEach((connection) => (connection instanceof Subscription ? connection.suspend() : connection.close()));
      failed.forEach((again) => again()); // what could not move before the old session ended starts there now
    };
  }

  /** A publication that did not move ended with the old session: published again, the app seeing it do so. */
  #publishAfterMove(streamID, previous, why) {
    if (this.#publications.get(streamID) !== previous) return; // stopped meanwhile
    console.warn(`wenzhen: ${streamID} could not be published on the new gateway (${why?.code} ${why?.msg}); publishing it again`);
    this.#publications.delete(streamID);
    previous.close();
    this.startPublishingStream(streamID, previous.localStream, previous.options);
  }

  /** A play that did not move ended with the old session: played again into the same MediaStream. */
  #playAfterMove(streamID, previous, why) {
    if (this.#subscriptions.get(streamID) !== previous) return;
    console.warn(`wenzhen: ${streamID} could not be played on the new gateway (${why?.code} ${why?.msg}); playing it again`);
    previous.suspend();
    this.#play(streamID, new Subscription(streamID, previous.remoteStream, false, this.#mediaSession(streamID, 'play'))).catch(() => null);
  }

  async #publishAgain(streamID, previous) {
    const fresh = new Publication(streamID, previous.localStream, previous.options, this.#mediaSession(streamID, 'publish'));
    try {
      const offer = await fresh.offer(previous.options.videoCodec);
      const reply = await this.#session.request('publish', { streamID, extraInfo: previous.options.extraInfo ?? '', sdp: offer });
      if (!reply.ok) throw fromReply(reply);
      await fresh.answer(reply.data.sdp);
    } catch (e) {
      fresh.close();
      throw e;
    }
    if (this.#publications.get(streamID) !== previous) { // stopped meanwhile: not on the new gateway either
      this.#session.request('unpublish', { streamID }).catch(() => null).finally(() => fresh.close());
      throw failure(SdkError.MEDIA_FAILED, 'stopped while moving');
    }
    this.#publications.set(streamID, fresh);
  }

  async #playElsewhere(streamID, previous) {
    const fresh = new Subscription(streamID, previous.remoteStream, true, this.#mediaSession(streamID, 'play'));
    try {
      const offer = await fresh.offer();
      const reply = await this.#session.request('play', { streamID, sdp: offer });
      if (!reply.ok) throw fromReply(reply);
      await fresh.answer(reply.data.sdp);
      await fresh.firstFrame(MOVE_FIRST_FRAME_MS);
    } catch (e) {
      fresh.suspend();
      throw e;
    }
    if (this.#subscriptions.get(streamID) !== previous) { // stopped meanwhile
      fresh.suspend();
      throw failure(SdkError.NOT_PLAYING);
    }
    fresh.commit();
    this.#subscriptions.set(streamID, fresh);
  }

  /** A suspended play whose stream is in the room again starts again into the MediaStream the app holds. */
  #playAgain(streamID) {
    const remoteStream = this.#suspendedPlays.get(streamID);
    if (!remoteStream || !this.#session.room) return;
    this.#suspendedPlays.delete(streamID);
    this.#play(streamID, new Subscription(streamID, remoteStream, false, this.#mediaSession(streamID, 'play'))).catch(() => null);
  }

  #endMedia(code) {
    if (this.#suspendTimer) clearTimeout(this.#suspendTimer);
    this.#suspendTimer = null;
    for (const streamID of this.#suspendedPublications.keys()) this.#publisherState(streamID, 'NO_PUBLISH', code);
    this.#suspendedPublications.clear();
    for (const [streamID, remoteStream] of this.#suspendedPlays) {
      remoteStream.getTracks().forEach((t) => t.stop());
      this.#playerState(streamID, 'NO_PLAY', code, '');
    }
    this.#suspendedPlays.clear();
    for (const [streamID, publication] of this.#publications) {
      publication.close();
      this.#publisherState(streamID, 'NO_PUBLISH', code);
    }
    this.#publications.clear();
    for (const streamID of [...this.#subscriptions.keys()]) this.#endPlay(streamID, code, '');
  }

  #alive() {
    if (this.#destroyed) throw failure(SdkError.ENGINE_DESTROYED);
  }

  /**
   * What a new media connection needs of the session: the TURN servers the room's login handed out (credentials
   * of this session's own), the request that restarts its ICE after a network change (docs/protocol.md), and what
   * a refused restart means: the gateway ended the connection (silent for 15 s). A publication's end comes as
   * publishEnded; a playback is played again into the same MediaStream.
   */
  #mediaSession(streamID, direction) {
    return {
      iceServers: this.#session.room?.iceServers ?? [],
      restartIce: async (sdp) => {
        this.#session.probe(); // the signaling socket may have died with the network: found out now, not at the next heartbeat
        const reply = await this.#session.request('restartIce', { streamID, direction, sdp }, RESTART_REQUEST_TIMEOUT_MS);
        if (!reply.ok) throw fromReply(reply);
        return reply.data.sdp;
      },
      lost: (connection) => {
        if (direction !== 'play' || this.#subscriptions.get(streamID) !== connection) return;
        this.#subscriptions.delete(streamID);
        connection.suspend();
        this.#play(streamID, new Subscription(streamID, connection.remoteStream, false, this.#mediaSession(streamID, 'play')))
          .catch(() => null);
      },
    };
  }

  #startQualityTimer() {
    if (this.#qualityTimer) return;
    this.#qualityTimer = setInterval(() => this.#reportQuality(), QUALITY_INTERVAL_MS);
  }

  async #reportQuality() {
    const now = performance.now();
    const work = [];
    for (const [streamID, p] of this.#publications) {
      work.push(this.#sample(p, now, publishStats, (stats) => {
        this.#events.emit('publishQualityUpdate', streamID, stats);
        this.#session.request('stats', { streamID, direction: 'publish', stats }).catch(() => null);
      }));
    }
    for (const [streamID, s] of this.#subscriptions) {
      work.push(this.#sample(s, now, playStats, (stats) => {
        this.#events.emit('playQualityUpdate', streamID, stats);
        this.#session.request('stats', { streamID, direction: 'play', stats }).catch(() => null);
      }));
    }
    await Promise.all(work);
  }

  async #sample(media, now, compute, report) {
    if (media.pc.connectionState !== 'connected') return;
    const stats = await media.pc.getStats();
    const previous = media.lastStats;
    const elapsed = now - media.lastStatsAt;
    media.lastStats = stats;
    media.lastStatsAt = now;
    if (previous) report(compute(stats, previous, elapsed));
  }

  /** For tests and the demo: drop the signaling socket as a network change would (media keeps flowing). */
  simulateNetworkLoss() {
    this.#session.simulateDrop();
  }
}
