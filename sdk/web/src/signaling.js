// One WebSocket to the gateway (docs/protocol.md): requests with ids and their replies, events with
// their seq, heartbeats, and — when the socket drops while logged in — reconnection and resume, so
// the session (and the media, which does not go through this socket) survives a network change.
import { SdkError, failure, fromReply } from './errors.js';

const REQUEST_TIMEOUT_MS = 15000;
/** A probe's heartbeat (the media went silent): over any network a live socket answers well within this. */
const PROBE_TIMEOUT_MS = 1000;
/**
 * A connection without the gateway's hello by then is given up: an address that swallows packets (a lost host)
 * would otherwise hold a reconnect or a recovery for the browser's own TCP timeout, minutes.
 */
const CONNECT_TIMEOUT_MS = 10000;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000];
// WebSocket.OPEN as a number: in a mini-program the socket is an adapter and no WebSocket global exists
const OPEN = 1;

/** The browser's socket; the mini-program SDK passes its own factory (wx/my.connectSocket adapters). */
const browserSocket = (url) => new WebSocket(url);

export class Signaling {
  #url;
  #alternates = []; // other gateways' public addresses from the login reply: where to resume when #url is lost
  #socket = null;
  #pending = new Map();
  #nextId = 1;
  #heartbeat = null;
  #heartbeatInterval = 10000;
  #lastSeq = 0;
  #session = null; // {sessionId, resumeToken, gateway} once logged in
  #closed = false;
  #reconnecting = false;
  #probing = false;
  #listener;
  #createSocket;

  /**
   * @param url the gateway's ws(s)://…/ws address
   * @param listener {event(message), connection(state, errorCode)} — state: CONNECTING | CONNECTED | DISCONNECTED
   * @param options createSocket(url): an object with WebSocket's readyState, onopen/onmessage/onclose/onerror,
   *   send(text) and close(code, reason); the browser's WebSocket by default
   */
  constructor(url, listener, { createSocket = browserSocket } = {}) {
    this.#url = url;
    this.#listener = listener;
    this.#createSocket = createSocket;
  }

  /** Opens the socket and waits for the gateway's hello. */
  async connect() {
    if (this.#closed) throw failure(SdkError.ENGINE_DESTROYED);
    if (this.#socket && this.#socket.readyState === OPEN) return;
    this.#socket = await this.#open();
  }

  #open() {
    return new Promise((resolve, reject) => {
      let socket;
      try {
        socket = this.#createSocket(this.#url);
      } catch (e) {
        reject(failure(SdkError.NOT_CONNECTED, String(e)));
        return;
      }
      let greeted = false;
      let refusal = null; // the gateway's reason for refusing the connection (TOO_MANY_CONNECTIONS), before it closes
      const notConnected = () => {
        clearTimeout(giveUp);
        reject(refusal ? fromReply(refusal) : failure(SdkError.NOT_CONNECTED, this.#url));
      };
      const url = this.#url;
      const giveUp = setTimeout(() => {
        if (greeted) return;
        reject(failure(SdkError.NOT_CONNECTED, `${url}: no answer within ${CONNECT_TIMEOUT_MS} ms`));
        try { socket.close(); } catch { /* never opened */ }
      }, CONNECT_TIMEOUT_MS);
      socket.onmessage = (e) => {
        let message;
        try {
          message = JSON.parse(e.data);
        } catch {
          return; // the gateway only sends JSON; ignore anything else
        }
        if (!greeted && message.type === 'hello') {
          greeted = true;
          clearTimeout(giveUp);
          this.#heartbeatInterval = message.heartbeatInterval || this.#heartbeatInterval;
          this.#startHeartbeat(socket);
          resolve(socket);
          return;
        }
        if (!greeted && message.type === 'reply' && message.ok === false && message.id == null) {
          refusal = message;
          return;
        }
        this.#dispatch(message);
      };
      socket.onerror = () => { if (!greeted) notConnected(); };
      socket.onclose = () => {
        if (!greeted) { notConnected(); return; }
        this.#onDrop(socket);
      };
    });
  }

  #dispatch(message) {
    if (message.type === 'reply') {
      const waiting = this.#pending.get(String(message.id));
      if (waiting) {
        this.#pending.delete(String(message.id));
        clearTimeout(waiting.timer);
        waiting.resolve(message);
      }
      return;
    }
    if (typeof message.seq === 'number') {
      if (message.seq <= this.#lastSeq) return; // a replayed event we already had
      this.#lastSeq = message.seq;
    }
    this.#listener.event(message);
  }

  /**
   * Sends a request; resolves with the gateway's reply (ok or not), rejects only when there is no reply (within
   * `timeoutMs`).
   */
  request(type, fields = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(failure(SdkError.NOT_CONNECTED));
    }
    const id = String(this.#nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(failure(SdkError.NOT_CONNECTED, `no reply to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...fields, type, id }));
    });
  }

  /**
   * Remembers the session so that a dropped socket can be resumed: through this gateway, or when it is gone
   * through another of `gateways` (the gateway that answers relays the resume to the one holding the
   * session, named by `gateway`).
   */
  loggedIn(sessionId, resumeToken, gateway, gateways = []) {
    this.#session = gateway ? { sessionId, resumeToken, gateway } : { sessionId, resumeToken };
    this.#alternates = gateways.filter((url) => typeof url === 'string' && /^wss?:\/\//.test(url) && url !== this.#url);
  }

  /** The session is over: a new one numbers its events from 1 again. */
  loggedOut() {
    this.#session = null;
    this.#lastSeq = 0;
  }

  /**
   * Closes the socket, not the engine: the next connect() opens a new one, which a balancer may send to
   * another gateway (a draining gateway refuses new rooms with GATEWAY_DRAINING, 10325).
   */
  reopen() {
    const socket = this.#socket;
    this.#stopHeartbeat();
    this.#failPending();
    this.#socket = null; // its close is then no drop to recover from
    try { socket?.close(1000, 'gateway draining'); } catch { /* already gone */ }
  }

  /**
   * The next connection goes to the next gateway the last login named (in turn, back to the first): for when
   * the one in use cannot be reached. Nothing changes when no other gateway is known.
   */
  nextGateway() {
    const urls = [...new Set([this.#url, ...this.#alternates])];
    if (urls.length < 2) return;
    this.#alternates = [...urls.slice(2), urls[0]];
    this.#url = urls[1];
  }

  /** The gateway address this connection uses now. */
  get url() { return this.#url; }

  /** Whether close() was called (the engine is destroyed): nothing connects again. */
  get closed() { return this.#closed; }

  close() {
    this.#closed = true;
    this.loggedOut();
    this.#stopHeartbeat();
    this.#failPending();
    if (this.#socket) this.#socket.close(1000, 'engine destroyed');
    this.#socket = null;
  }

  #startHeartbeat(socket) {
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => {
      if (socket.readyState === OPEN) {
        // no reply: the socket is dead without knowing it (a silent network change); close it to reconnect
        this.request('heartbeat').catch(() => this.#abandon(socket));
      }
    }, this.#heartbeatInterval);
  }

  /**
   * The media went silent (a network change breaks the socket too, without a word): a heartbeat that gets no
   * reply within PROBE_TIMEOUT_MS closes the socket, and the usual reconnect and resume follow at once.
   */
  probe() {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN || this.#probing) return;
    this.#probing = true;
    this.request('heartbeat', {}, PROBE_TIMEOUT_MS)
      .catch(() => this.#abandon(socket))
      .finally(() => { this.#probing = false; });
  }

  /**
   * A socket that answers nothing is dropped now: closing a dead connection waits for a close frame that never
   * comes (its 'close' event can take the browser's TCP timeout), so the reconnect does not wait for it.
   */
  #abandon(socket) {
    if (socket !== this.#socket) return;
    try { socket.close(4001, 'no heartbeat reply'); } catch { /* already closing */ }
    this.#onDrop(socket);
  }

  #stopHeartbeat() {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  #failPending() {
    for (const [, waiting] of this.#pending) {
      clearTimeout(waiting.timer);
      waiting.reject(failure(SdkError.NOT_CONNECTED, 'the connection closed'));
    }
    this.#pending.clear();
  }

  async #onDrop(socket) {
    if (socket !== this.#socket) return;
    this.#stopHeartbeat();
    this.#failPending();
    this.#socket = null;
    if (this.#closed || !this.#session || this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      await this.#reconnect();
    } finally {
      this.#reconnecting = false;
    }
  }

  /** Reconnects with backoff and resumes; only the gateway saying no ends the session. */
  async #reconnect() {
    this.#listener.connection('CONNECTING', 0);
    for (const [attempt, delay] of RECONNECT_DELAYS_MS.entries()) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.#closed || !this.#session) return;
      // the same gateway first (a network blip), then the others in turn (it may be gone)
      if (attempt > 0) this.nextGateway();
      let reply;
      try {
        this.#socket = await this.#open();
        reply = await this.request('resume', { ...this.#session, lastSeq: this.#lastSeq });
      } catch {
        // still offline, or no reply in time: close what was opened (mini-programs may hold only a few sockets), try again
        const stale = this.#socket;
        this.#socket = null;
        try { stale?.close(); } catch { /* already gone */ }
        continue;
      }
      if (reply.ok) {
        this.#listener.connection('CONNECTED', 0);
        return;
      }
      // the gateway no longer has the session (grace period over, or another gateway): it is gone
      this.loggedOut();
      this.#listener.connection('DISCONNECTED', reply.code || SdkError.CONNECTION_LOST.code);
      return;
    }
    this.loggedOut();
    this.#listener.connection('DISCONNECTED', SdkError.CONNECTION_LOST.code);
  }

  /** For tests and the demo: drop the socket as a network change would. */
  simulateDrop() {
    if (this.#socket) this.#socket.close(4000, 'simulated network loss');
  }
}
