// The room half of an engine, shared by the Web and the mini-program SDKs so that both log in, report
// room events, get kicked and resume the same way: login, logout, broadcast, token renewal, the
// gateway's room events and what the signaling connection's state means for the room. What happens
// to the engine's media when the room ends differs (peer connections, live-pusher/live-player), so
// the engine says it through hooks.
import { SdkError, failure, fromReply } from './errors.js';
import { Signaling } from './signaling.js';

/** room-service ended the session, taking its gateway for lost (docs/errors.md): recovered from, not final. */
const SESSION_ENDED_BY_ROOM_SERVICE = 10214;
/** Events that carry messages, not the room's state: none is dropped by a move. */
const MESSAGES = new Set(['IMRecvBroadcastMessage', 'tokenWillExpire']);
/** The gateway's refusal of a new room while it drains before stopping (docs/errors.md). */
const GATEWAY_DRAINING = 10325;
/** Waits before each new try of a login a draining gateway refused: about 15 s in all. */
const DRAINING_RETRY_MS = [500, 1000, 2000, 4000, 8000];
/** Waits between the logins that recover a session no gateway could resume (its gateway was lost). */
const RECOVERY_RETRY_MS = [0, 250, 500, 1000, 2000, 4000];
/** How long the SDK keeps trying to recover a lost session before it reports the room DISCONNECTED. */
const RECOVERY_WINDOW_MS = 60000;
/**
 * Refusals a recovery login tries again after: the gateway was unreachable or busy, room-service slow, the
 * gateway draining. Any other (the token expired, the app disabled …) ends the room with its code.
 */
const RETRIABLE = new Set([SdkError.NOT_CONNECTED.code, 10304, 10307, 10308, 10321, 10322, 10325]);

/** ws(s)://host/ws from whatever the app passes: a ws URL, or the gateway's http(s) address. */
function signalingUrl(server) {
  const url = String(server);
  if (/^wss?:\/\//.test(url)) return url;
  return url.replace(/^http/, 'ws').replace(/\/?$/, '/ws');
}

/** streamList entries as ZEGO shapes them: the play addresses are there even when the gateway gives none. */
function withUrls(stream) {
  return { urlsFLV: '', urlsRTMP: '', urlsHLS: '', ...stream };
}

export class RoomSession {
  #appID;
  #signaling;
  #room = null; // {roomID, userID, userUpdate, iceServers}
  #loggingIn = null; // the roomID of a login waiting to try again (a draining gateway refused it)
  #recovering = null; // the roomID of a session being recovered by logging in again (its gateway was lost)
  #credentials = null; // {token, user, config} of the room's login: what a recovery logs in with
  #streams = new Map(); // streamID -> stream: the room's others' streams as the app was told of them
  #users = new Map(); // userID -> user: the others, as the app was told of them (with userUpdate)
  #hooks;
  #options; // for Signaling: a move opens a second connection the same way
  #moving = false; // a move to another gateway is under way (its login, then the media's)
  #held = null; // the old session's events while the move's login is on its way: dropped if it succeeds, else handled

  /**
   * @param appID the app's AppID
   * @param server the gateway (see signalingUrl)
   * @param hooks emit(event, ...args): the engine's events; endMedia(code): the room is over, end all
   *   publishing and playing with this code; streamGone(streamID): another user's stream left the room;
   *   optional: suspendMedia(code) the session was lost and is being recovered, stop the media but keep what
   *   to start again; resumeMedia(streamList) recovered, publish and play again (the room's streams now);
   *   streamsBack(streamIDs) streams arrived in the room (one being played before the loss may be back);
   *   moveMedia() the session moved to another gateway: publish and play there (requests now go there), resolving
   *   a function that ends the media on the old gateway once the new media flows. An engine without it is not
   *   moved by a draining gateway: its calls finish there.
   * @param options passed to Signaling (createSocket)
   */
  constructor(appID, server, hooks, options) {
    this.#appID = Number(appID);
    this.#hooks = hooks;
    this.#options = options;
    this.#signaling = this.#connectionTo(signalingUrl(server));
  }

  /** A signaling connection whose events count only while it is the session's (a move has two for a moment). */
  #connectionTo(url) {
    const signaling = new Signaling(url, {
      event: (message) => {
        if (signaling !== this.#signaling) return;
        if (this.#held) this.#held.push(message); else this.#onEvent(message);
      },
      connection: (state, code) => { if (signaling === this.#signaling) this.#onConnection(state, code); },
    }, this.#options);
    return signaling;
  }

  /** {roomID, userID, userUpdate} while logged in, else null. */
  get room() { return this.#room; }

  /** A request on the session's socket (publish, play, stats …): resolves the reply, ok or not. */
  request(type, fields, timeoutMs) { return this.#signaling.request(type, fields, timeoutMs); }

  /** Checks the signaling socket at once (the media went silent: the network may have changed under both). */
  probe() { this.#signaling.probe(); }

  /** Resolves true once logged in; rejects {code, msg}. Creates the room if it does not exist. */
  async login(roomID, token, user, config = {}) {
    if (typeof roomID !== 'string' || typeof token !== 'string' || !user || typeof user.userID !== 'string') {
      throw failure(SdkError.INVALID_ARGUMENT, 'loginRoom(roomID, token, {userID, userName}, config)');
    }
    if (this.#room) {
      throw failure(SdkError.WRONG_ROOM, `already in ${this.#room.roomID}`);
    }
    const emit = this.#hooks.emit;
    emit('roomStateUpdate', roomID, 'CONNECTING', 0, '');
    let reply;
    try {
      for (let attempt = 0; ; attempt++) {
        await this.#signaling.connect();
        reply = await this.#signaling.request('login', this.#loginRequest(roomID, { token, user, config }));
        if (reply.ok || reply.code !== GATEWAY_DRAINING || attempt >= DRAINING_RETRY_MS.length) break;
        // that gateway is stopping and takes no new rooms: a new connection reaches another one once the
        // balancer has taken it out (its readiness fails within seconds)
        this.#signaling.reopen();
        this.#loggingIn = roomID;
        await new Promise((r) => setTimeout(r, DRAINING_RETRY_MS[attempt]));
        // the app gave up meanwhile (logoutRoom, destroyEngine): no login behind its back
        if (this.#loggingIn !== roomID) throw failure(SdkError.NOT_LOGGED_IN, 'logged out while the login was waiting to try again');
      }
      this.#loggingIn = null;
    } catch (e) {
      this.#loggingIn = null;
      emit('roomStateUpdate', roomID, 'DISCONNECTED', e.code, '');
      throw e;
    }
    if (!reply.ok) {
      emit('roomStateUpdate', roomID, 'DISCONNECTED', reply.code, reply.error ?? '');
      throw fromReply(reply);
    }
    const data = reply.data;
    this.#credentials = { token, user, config };
    this.#established(roomID, data);
    this.#streams = new Map((data.streamList ?? []).map((s) => [s.streamID, withUrls(s)]));
    this.#users = new Map((data.userList ?? []).map((u) => [u.userID, u]));
    emit('roomStateUpdate', roomID, 'CONNECTED', 0, '');
    // who and what is already there, as events right after the login resolves (ZEGO's order)
    setTimeout(() => {
      if (!this.#room || this.#room.roomID !== roomID) return;
      if (typeof data.onlineCount === 'number') emit('roomOnlineUserCountUpdate', roomID, data.onlineCount);
      if (this.#room.userUpdate && data.userList?.length) emit('roomUserUpdate', roomID, 'ADD', data.userList);
      if (data.streamList?.length) emit('roomStreamUpdate', roomID, 'ADD', data.streamList.map(withUrls), '');
    }, 0);
    return true;
  }

  #loginRequest(roomID, { token, user, config }) {
    return {
      appId: this.#appID, roomId: roomID, token,
      user: { userID: user.userID, userName: user.userName ?? user.userID },
      config: { userUpdate: Boolean(config.userUpdate), maxMemberCount: config.maxMemberCount ?? 0 },
      // this SDK follows a draining gateway's move event (docs/protocol.md, "Moving calls")
      ...(this.#hooks.moveMedia ? { features: ['move'] } : {}),
    };
  }

  /** A login's reply: the room is entered, and its session can be resumed through any gateway it names. */
  #established(roomID, data) {
    const { user, config } = this.#credentials;
    // TURN servers with this session's credentials (an empty list when the gateway has none): its media connections use them
    const iceServers = Array.isArray(data.iceServers) ? data.iceServers : [];
    this.#room = { roomID, userID: user.userID, userUpdate: Boolean(config.userUpdate), iceServers };
    this.#signaling.loggedIn(data.sessionId, data.resumeToken, data.gateway, data.gateways);
  }

  /** Ends the engine's media in the room and leaves it; false when not in that room. */
  async logout(roomID) {
    if (this.#loggingIn !== null && (roomID === undefined || roomID === this.#loggingIn)) {
      this.#loggingIn = null; // a login waiting to try again gives up
      return true;
    }
    if (this.#recovering !== null && (roomID === undefined || roomID === this.#recovering)) {
      const room = this.#recovering;
      this.#recovering = null; // the recovery gives up; its media is already stopped
      this.#hooks.endMedia(0);
      this.#hooks.emit('roomStateUpdate', room, 'DISCONNECTED', 0, '');
      return true;
    }
    if (!this.#room || (roomID !== undefined && roomID !== this.#room.roomID)) return false;
    const room = this.#room.roomID;
    this.#room = null;
    this.#signaling.loggedOut();
    // the media ends once the gateway has ended the session's streams: a connection closed first would look lost
    await this.#signaling.request('logout').catch(() => null);
    this.#hooks.endMedia(0);
    this.#hooks.emit('roomStateUpdate', room, 'DISCONNECTED', 0, '');
    return true;
  }

  /** Resolves {errorCode, messageID}; errorCode 0 when sent. */
  async sendBroadcastMessage(roomID, message) {
    if (!this.#room || roomID !== this.#room.roomID) return { errorCode: SdkError.NOT_LOGGED_IN.code };
    const reply = await this.#signaling.request('broadcast', { message }).catch((e) => ({ ok: false, code: e.code }));
    return reply.ok ? { errorCode: 0, messageID: reply.data?.messageID ?? 0 } : { errorCode: reply.code };
  }

  /** Resolves true when the gateway accepted the new token (a recovery logs in with it). */
  async renewToken(token, roomID) {
    if (!this.#room || (roomID !== undefined && roomID !== this.#room.roomID)) throw failure(SdkError.NOT_LOGGED_IN);
    const reply = await this.#signaling.request('renewToken', { token });
    if (!reply.ok) throw fromReply(reply);
    if (this.#credentials) this.#credentials = { ...this.#credentials, token };
    return true;
  }

  /** For destroyEngine: ends the media, closes the socket; returns the room it was in (or undefined). */
  close() {
    this.#loggingIn = null;
    this.#recovering = null;
    const room = this.#room?.roomID;
    this.#hooks.endMedia(0);
    this.#room = null;
    this.#signaling.close();
    return room;
  }

  /** For tests and the demo: drop the socket as a network change would. */
  simulateDrop() {
    this.#signaling.simulateDrop();
  }

  #onEvent(message) {
    const emit = this.#hooks.emit;
    const roomID = message.roomID;
    switch (message.type) {
      case 'roomUserUpdate':
        for (const u of message.userList) {
          if (message.updateType === 'ADD') this.#users.set(u.userID, u); else this.#users.delete(u.userID);
        }
        emit('roomUserUpdate', roomID, message.updateType, message.userList);
        break;
      case 'roomOnlineUserCountUpdate':
        emit('roomOnlineUserCountUpdate', roomID, message.count);
        break;
      case 'roomStreamUpdate':
        for (const stream of message.streamList) {
          if (message.updateType === 'ADD') this.#streams.set(stream.streamID, withUrls(stream)); else this.#streams.delete(stream.streamID);
        }
        emit('roomStreamUpdate', roomID, message.updateType, message.streamList.map(withUrls), '');
        if (message.updateType === 'ADD') this.#hooks.streamsBack?.(message.streamList.map((stream) => stream.streamID));
        if (message.updateType === 'DELETE') {
          // the publisher left or stopped: the engine's players of its streams end
          for (const stream of message.streamList) this.#hooks.streamGone(stream.streamID);
        }
        break;
      case 'IMRecvBroadcastMessage':
        emit('IMRecvBroadcastMessage', roomID, message.messageList);
        break;
      case 'tokenWillExpire':
        emit('tokenWillExpire', roomID);
        break;
      case 'publishEnded':
        // the gateway lost this stream's media connection and ended the publication (the room heard it too)
        this.#hooks.publishEnded?.(message.streamID, message.code, message.message);
        break;
      case 'move':
        this.#move(message).catch(() => null);
        break;
      case 'kicked':
        if (message.code === SESSION_ENDED_BY_ROOM_SERVICE && this.#room) {
          // room-service took this session's gateway for lost (a partition, not the user's doing): recover as from a loss
          const room = this.#room.roomID;
          this.#room = null;
          this.#signaling.loggedOut();
          this.#recover(room, message.code);
          break;
        }
        this.#hooks.endMedia(message.code);
        this.#room = null;
        this.#signaling.loggedOut();
        emit('roomStateUpdate', roomID, 'DISCONNECTED', message.code,
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
      // no gateway could resume the session (its gateway was lost, or it was away past the grace): the SDK logs
      // in again and the engine publishes and plays again, the app seeing CONNECTING until CONNECTED
      this.#room = null;
      this.#recover(roomID, code);
      return;
    }
    this.#hooks.emit('roomStateUpdate', roomID, state, code, '');
  }

  /**
   * The gateway is draining and the room's calls move to another (docs/protocol.md, "Moving calls"): log in
   * there with the gateway's ticket, on a second connection, which becomes the session's; publish and play
   * there (the engine's moveMedia); only then leave the old session and end its media: make before break, the
   * app sees no state change. A move that fails leaves the session where it is: should the old gateway then
   * stop, the session is recovered as from any loss.
   */
  async #move({ url, ticket }) {
    if (!this.#room || this.#moving || !this.#hooks.moveMedia || !this.#credentials) return;
    const old = this.#signaling;
    const roomID = this.#room.roomID;
    this.#moving = true;
    const next = this.#connectionTo(url ?? old.url);
    try {
      let reply;
      // what the old session hears meanwhile waits: the new session's list of the room supersedes it
      this.#held = [];
      try {
        await next.connect();
        reply = await next.request('login', { ...this.#loginRequest(roomID, this.#credentials), handover: ticket });
      } catch (e) {
        reply = { ok: false, code: e.code };
      }
      const held = this.#held;
      this.#held = null;
      if (!reply.ok || this.#signaling !== old || this.#room?.roomID !== roomID) {
        // refused, or the old session was lost (a recovery took over) or left meanwhile: this one must not linger
        if (reply.ok) await next.request('logout').catch(() => null);
        next.close();
        held.forEach((message) => this.#onEvent(message)); // the old session goes on: what it heard counts
        return;
      }
      this.#signaling = next;
      this.#established(roomID, reply.data);
      const { goneStreams } = this.#catchUp(roomID, reply.data);
      // a stream that left the room meanwhile is not played again on the new gateway
      goneStreams.forEach((stream) => this.#hooks.streamGone(stream.streamID));
      // the room's users and streams came with the new login; its messages did not
      held.filter((message) => MESSAGES.has(message.type)).forEach((message) => this.#onEvent(message));
      const endOldMedia = await this.#hooks.moveMedia();
      old.loggedOut();
      await old.request('logout').catch(() => null);
      endOldMedia();
      old.close();
    } finally {
      this.#moving = false;
    }
  }

  /**
   * After a recovery: what changed in the room while the session was lost, as the events the app would have
   * had (streams and users gone: DELETE; new ones: ADD), so that its lists are right again.
   */
  #catchUp(roomID, data) {
    const emit = this.#hooks.emit;
    const streams = new Map((data.streamList ?? []).map((s) => [s.streamID, withUrls(s)]));
    const goneStreams = [...this.#streams.values()].filter((s) => !streams.has(s.streamID));
    const newStreams = [...streams.values()].filter((s) => !this.#streams.has(s.streamID));
    this.#streams = streams;
    if (this.#room?.userUpdate) {
      const users = new Map((data.userList ?? []).map((u) => [u.userID, u]));
      const goneUsers = [...this.#users.values()].filter((u) => !users.has(u.userID));
      const newUsers = [...users.values()].filter((u) => !this.#users.has(u.userID));
      this.#users = users;
      if (goneUsers.length) emit('roomUserUpdate', roomID, 'DELETE', goneUsers);
      if (newUsers.length) emit('roomUserUpdate', roomID, 'ADD', newUsers);
    }
    if (goneStreams.length) emit('roomStreamUpdate', roomID, 'DELETE', goneStreams, '');
    if (newStreams.length) emit('roomStreamUpdate', roomID, 'ADD', newStreams, '');
    return { goneStreams, newStreams };
  }

  /**
   * Logs into the room again with the last token, through the gateways the last login named, until one takes
   * it or the recovery window ends; the engine's media waits meanwhile (suspendMedia), then starts again
   * (resumeMedia) with the streams the new login lists. A refusal that is not worth repeating ends the room.
   */
  async #recover(roomID, lostWith) {
    const emit = this.#hooks.emit;
    this.#recovering = roomID;
    this.#hooks.suspendMedia?.(lostWith);
    const started = Date.now();
    let code = lostWith;
    for (let attempt = 0; ; attempt++) {
      await new Promise((r) => setTimeout(r, RECOVERY_RETRY_MS[Math.min(attempt, RECOVERY_RETRY_MS.length - 1)]));
      if (this.#recovering !== roomID || this.#signaling.closed) return; // logged out or destroyed meanwhile
      let reply;
      try {
        await this.#signaling.connect();
        reply = await this.#signaling.request('login', this.#loginRequest(roomID, this.#credentials));
      } catch (e) {
        reply = { ok: false, code: e.code ?? SdkError.NOT_CONNECTED.code };
      }
      if (this.#recovering !== roomID) {
        // logged out (or destroyed) while this login was on its way: the session it made must not linger
        if (reply.ok) this.#signaling.request('logout').catch(() => null);
        return;
      }
      if (reply.ok) {
        this.#recovering = null;
        this.#established(roomID, reply.data);
        emit('roomStateUpdate', roomID, 'CONNECTED', 0, '');
        if (typeof reply.data.onlineCount === 'number') emit('roomOnlineUserCountUpdate', roomID, reply.data.onlineCount);
        this.#catchUp(roomID, reply.data);
        this.#hooks.resumeMedia?.((reply.data.streamList ?? []).map(withUrls));
        return;
      }
      code = reply.code;
      if (!RETRIABLE.has(code) || Date.now() - started > RECOVERY_WINDOW_MS) break;
      // unreachable, or refused for now: the next gateway the last login named
      this.#signaling.reopen();
      if (code === SdkError.NOT_CONNECTED.code) this.#signaling.nextGateway();
    }
    this.#recovering = null;
    this.#hooks.endMedia(code);
    emit('roomStateUpdate', roomID, 'DISCONNECTED', code, '');
  }
}
