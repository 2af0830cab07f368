// ZegoExpressEngine: the API of ../shared/CLIENT-API.md for web pages, over Wenzhen's gateway.
import { Emitter } from './emitter.js';
import { SdkError, failure, fromReply } from './errors.js';
import { Publication, Subscription } from './media.js';
import { playStats, publishStats } from './quality.js';
import { Signaling } from './signaling.js';

const QUALITY_INTERVAL_MS = 3000;

/** ZEGO's camera presets (videoQuality 1–3); 4 means the width/height/frameRate given. */
const VIDEO_PRESETS = { 1: [320, 240, 15], 2: [640, 480, 15], 3: [1280, 720, 20] };

/** ws(s)://host/ws from whatever the app passes: a ws URL, or the gateway's http(s) address. */
function signalingUrl(server) {
  const url = String(server);
  if (/^wss?:\/\//.test(url)) return url;
  return url.replace(/^http/, 'ws').replace(/\/?$/, '/ws');
}

export class ZegoExpressEngine {
  #appID;
  #events = new Emitter();
  #signaling;
  #room = null; // {roomID, userID, userUpdate}
  #publications = new Map();
  #subscriptions = new Map();
  #createdStreams = new Set();
  #qualityTimer = null;
  #destroyed = false;

  /**
   * @param appID the app's AppID (a number, as the console shows it)
   * @param server the gateway: wss://gateway.example/ws (or its https:// address)
   */
  constructor(appID, server) {
    this.#appID = Number(appID);
    this.#signaling = new Signaling(signalingUrl(server), {
      event: (message) => this.#onEvent(message),
      connection: (state, code) => this.#onConnection(state, code),
    });
  }

  on(event, handler) { return this.#events.on(event, handler); }

  off(event, handler) { return this.#events.off(event, handler); }

  /** Resolves true once logged in; rejects {code, msg}. Creates the room if it does not exist. */
  async loginRoom(roomID, token, user, config = {}) {
    this.#alive();
    if (typeof roomID !== 'string' || typeof token !== 'string' || !user || typeof user.userID !== 'string') {
      throw failure(SdkError.INVALID_ARGUMENT, 'loginRoom(roomID, token, {userID, userName}, config)');
    }
    if (this.#room) {
      throw failure(SdkError.WRONG_ROOM, `already in ${this.#room.roomID}`);
    }
    this.#events.emit('roomStateUpdate', roomID, 'CONNECTING', 0, '');
    let reply;
    try {
      await this.#signaling.connect();
      reply = await this.#signaling.request('login', {
        appId: this.#appID, roomId: roomID, token,
        user: { userID: user.userID, userName: user.userName ?? user.userID },
        config: { userUpdate: Boolean(config.userUpdate), maxMemberCount: config.maxMemberCount ?? 0 },
      });
    } catch (e) {
      this.#events.emit('roomStateUpdate', roomID, 'DISCONNECTED', e.code, '');
      throw e;
    }
    if (!reply.ok) {
      this.#events.emit('roomStateUpdate', roomID, 'DISCONNECTED', reply.code, reply.error ?? '');
      throw fromReply(reply);
    }
    const data = reply.data;
    this.#room = { roomID, userID: user.userID, userUpdate: Boolean(config.userUpdate) };
    this.#signaling.loggedIn(data.sessionId, data.resumeToken);
    this.#startQualityTimer();
    this.#events.emit('roomStateUpdate', roomID, 'CONNECTED', 0, '');
    // who and what is already there, as events right after the login resolves (ZEGO's order)
    setTimeout(() => {
      if (!this.#room || this.#room.roomID !== roomID) return;
      if (typeof data.onlineCount === 'number') this.#events.emit('roomOnlineUserCountUpdate', roomID, data.onlineCount);
      if (this.#room.userUpdate && data.userList?.length) this.#events.emit('roomUserUpdate', roomID, 'ADD', data.userList);
      if (data.streamList?.length) this.#events.emit('roomStreamUpdate', roomID, 'ADD', data.streamList.map(withUrls), '');
    }, 0);
    return true;
  }

  /** Stops this engine's streams in the room and leaves it. */
  async logoutRoom(roomID) {
    if (!this.#room || (roomID !== undefined && roomID !== this.#room.roomID)) return false;
    const room = this.#room.roomID;
    this.#endMedia(0);
    this.#room = null;
    this.#signaling.loggedOut();
    await this.#signaling.request('logout').catch(() => null);
    this.#events.emit('roomStateUpdate', room, 'DISCONNECTED', 0, '');
    return true;
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
    const publication = new Publication(streamID, localStream);
    this.#publications.set(streamID, publication);
    this.#publisherState(streamID, 'PUBLISH_REQUESTING', 0);
    (async () => {
      if (!this.#room) throw failure(SdkError.NOT_LOGGED_IN);
      const offer = await publication.offer(options.videoCodec);
      const reply = await this.#signaling.request('publish', { streamID, extraInfo: options.extraInfo ?? '', sdp: offer });
      if (!reply.ok) throw fromReply(reply);
      if (this.#publications.get(streamID) !== publication) return; // stopped meanwhile
      await publication.answer(reply.data.sdp);
      if (this.#publications.get(streamID) === publication) this.#publisherState(streamID, 'PUBLISHING', 0);
    })().catch((e) => {
      if (this.#publications.get(streamID) !== publication) return;
      this.#publications.delete(streamID);
      publication.close();
      if (e.code === SdkError.MEDIA_FAILED.code) this.#signaling.request('unpublish', { streamID }).catch(() => null);
      this.#publisherState(streamID, 'NO_PUBLISH', e.code ?? SdkError.MEDIA_FAILED.code, e.msg);
    });
    return true;
  }

  stopPublishingStream(streamID) {
    const publication = this.#publications.get(streamID);
    if (!publication) return false;
    this.#publications.delete(streamID);
    publication.close();
    this.#signaling.request('unpublish', { streamID }).catch(() => null);
    this.#publisherState(streamID, 'NO_PUBLISH', 0);
    return true;
  }

  /** Resolves the remote MediaStream once media flows; playerStateUpdate reports the same. */
  async startPlayingStream(streamID) {
    this.#alive();
    if (!this.#room) throw failure(SdkError.NOT_LOGGED_IN);
    const existing = this.#subscriptions.get(streamID);
    if (existing) return existing.remoteStream;
    const subscription = new Subscription(streamID);
    this.#subscriptions.set(streamID, subscription);
    this.#playerState(streamID, 'PLAY_REQUESTING', 0);
    try {
      const offer = await subscription.offer();
      const reply = await this.#signaling.request('play', { streamID, sdp: offer });
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
    const subscription = this.#subscriptions.get(streamID);
    if (!subscription) return false;
    this.#subscriptions.delete(streamID);
    subscription.close();
    this.#signaling.request('stopPlay', { streamID }).catch(() => null);
    this.#playerState(streamID, 'NO_PLAY', 0);
    return true;
  }

  /** Resolves {errorCode, messageID}; errorCode 0 when sent. */
  async sendBroadcastMessage(roomID, message) {
    if (!this.#room || roomID !== this.#room.roomID) return { errorCode: SdkError.NOT_LOGGED_IN.code };
    const reply = await this.#signaling.request('broadcast', { message }).catch((e) => ({ ok: false, code: e.code }));
    return reply.ok ? { errorCode: 0, messageID: reply.data?.messageID ?? 0 } : { errorCode: reply.code };
  }

  /** Resolves true when the gateway accepted the new token. */
  async renewToken(token, roomID) {
    if (!this.#room || (roomID !== undefined && roomID !== this.#room.roomID)) throw failure(SdkError.NOT_LOGGED_IN);
    const reply = await this.#signaling.request('renewToken', { token });
    if (!reply.ok) throw fromReply(reply);
    return true;
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
    const room = this.#room?.roomID;
    this.#endMedia(0);
    this.#room = null;
    this.#signaling.close();
    this.#createdStreams.forEach((s) => s.getTracks().forEach((t) => t.stop()));
    this.#createdStreams.clear();
    if (this.#qualityTimer) clearInterval(this.#qualityTimer);
    this.#destroyed = true;
    if (room) this.#events.emit('roomStateUpdate', room, 'DISCONNECTED', 0, '');
  }

  // --- events from the gateway -------------------------------------------------------------------

  #onEvent(message) {
    const roomID = message.roomID;
    switch (message.type) {
      case 'roomUserUpdate':
        this.#events.emit('roomUserUpdate', roomID, message.updateType, message.userList);
        break;
      case 'roomOnlineUserCountUpdate':
        this.#events.emit('roomOnlineUserCountUpdate', roomID, message.count);
        break;
      case 'roomStreamUpdate':
        this.#events.emit('roomStreamUpdate', roomID, message.updateType, message.streamList.map(withUrls), '');
        if (message.updateType === 'DELETE') {
          // the publisher left or stopped: our players of its streams end
          for (const stream of message.streamList) this.#endPlay(stream.streamID, 0, 'the publisher stopped');
        }
        break;
      case 'IMRecvBroadcastMessage':
        this.#events.emit('IMRecvBroadcastMessage', roomID, message.messageList);
        break;
      case 'tokenWillExpire':
        this.#events.emit('tokenWillExpire', roomID);
        break;
      case 'kicked':
        this.#endMedia(message.code);
        this.#room = null;
        this.#signaling.loggedOut();
        this.#events.emit('roomStateUpdate', roomID, 'DISCONNECTED', message.code,
          JSON.stringify({ error: message.error, message: message.message }));
        break;
      default:
        break; // a newer gateway's event this SDK does not know: ignored
    }
  }

  #onConnection(state, code) {
    if (!this.#room) return;
    const roomID = this.#room.roomID;
    if (state === 'DISCONNECTED') {
      this.#endMedia(code);
      this.#room = null;
    }
    this.#events.emit('roomStateUpdate', roomID, state, code, '');
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

  #endMedia(code) {
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
        this.#signaling.request('stats', { streamID, direction: 'publish', stats }).catch(() => null);
      }));
    }
    for (const [streamID, s] of this.#subscriptions) {
      work.push(this.#sample(s, now, playStats, (stats) => {
        this.#events.emit('playQualityUpdate', streamID, stats);
        this.#signaling.request('stats', { streamID, direction: 'play', stats }).catch(() => null);
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
    this.#signaling.simulateDrop();
  }
}

/** streamList entries as ZEGO shapes them; FLV/RTMP addresses come with the mini-program gateway. */
function withUrls(stream) {
  return { urlsFLV: '', urlsRTMP: '', urlsHLS: '', ...stream };
}
