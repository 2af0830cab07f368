// An in-memory gateway that answers signaling protocol 1 (docs/protocol.md) well enough to drive
// the SDKs' room, publish/play and resume logic in node without a server. It is a test double, not
// a reference: it checks only what the SDK tests need, and lets a test script failures.
//
// Transport-neutral: an SDK-side adapter (FakeWebSocket below, or the mini-program tests' fake
// SocketTask) calls open(url, client) and gets a connection; the gateway talks back through
// client.opened(), client.receive(text) and client.closed(code, reason), always asynchronously,
// as a network would.

const later = (fn) => setImmediate(fn);

export class FakeGateway {
  /** every request received, in order: the parsed frame plus `connection` (its index) */
  requests = [];
  /** every connection opened, in order */
  connections = [];
  /** streams a `play` may ask for, as room-service would know them: streamID -> {userID} */
  streams = new Map();
  /** when true, new connections fail before opening (an unreachable gateway) */
  refuseConnections = false;

  #options;
  #failures = new Map(); // type -> queue of {code, error, message}
  #silent = new Set(); // types that get no reply (to test request timeouts)
  #waiters = [];
  #session = null; // {sessionId, resumeToken, roomID, userID, connection, seq, buffer}
  #nextKey = 1;

  constructor(options = {}) {
    this.#options = {
      heartbeatInterval: 10000,
      rtmpBase: 'rtmp://gw.test:1935/live',
      flvBase: 'http://gw.test:8080/live',
      onlineCount: 1,
      streamList: [],
      userList: [],
      ...options,
    };
  }

  /** Opens a connection for an SDK-side adapter; see the header comment. */
  open(url, client) {
    const connection = { index: this.connections.length, url, client, open: false, closed: false };
    this.connections.push(connection);
    later(() => {
      if (this.refuseConnections) {
        connection.closed = true;
        client.failed?.('connection refused');
        return;
      }
      connection.open = true;
      client.opened();
      this.#deliver(connection, { type: 'hello', protocol: 1, heartbeatInterval: this.#options.heartbeatInterval });
    });
    return {
      send: (text) => later(() => this.#receive(connection, text)),
      close: (code = 1000, reason = '') => later(() => this.#close(connection, code, reason)),
    };
  }

  /** The next request of this type answers {ok:false} with this code (queued, one per call). */
  failNext(type, code, error = 'FAKE_ERROR', message = 'scripted failure') {
    if (!this.#failures.has(type)) this.#failures.set(type, []);
    this.#failures.get(type).push({ code, error, message });
  }

  /** Requests of this type are never answered (until answer(type) is called). */
  silence(type) { this.#silent.add(type); }

  answer(type) { this.#silent.delete(type); }

  /** Resolves with the next request of this type (or one already received and not yet waited for). */
  waitFor(type, predicate = () => true) {
    const seen = this.requests.find((r) => r.type === type && !r.claimed && predicate(r));
    if (seen) { seen.claimed = true; return Promise.resolve(seen); }
    return new Promise((resolve) => this.#waiters.push({ type, predicate, resolve }));
  }

  /** The requests of a type received so far. */
  requestsOf(type) { return this.requests.filter((r) => r.type === type); }

  /** Sends the session an event (with the next seq), as room-service's events reach it. */
  event(message) {
    const session = this.#session;
    if (!session) throw new Error('no session to send an event to');
    const framed = { ...message, seq: ++session.seq };
    session.buffer.push(framed);
    if (session.connection && !session.connection.closed) this.#deliver(session.connection, framed);
  }

  /** Closes the session's connection as a network loss would (code 1006, no close frame). */
  dropConnection() {
    const connection = this.#session?.connection ?? this.connections.at(-1);
    if (connection) this.#close(connection, 1006, 'network lost');
  }

  /** Forgets the session, so that a resume is refused (grace period over). */
  expireSession() { this.#session = null; }

  /** Changes what later logins are answered with (the room as it is now: streamList, userList, onlineCount). */
  configure(options) { Object.assign(this.#options, options); }

  get session() { return this.#session; }

  // --- internals -----------------------------------------------------------------------------------

  #deliver(connection, message) {
    later(() => { if (!connection.closed) connection.client.receive(JSON.stringify(message)); });
  }

  #close(connection, code, reason) {
    if (connection.closed) return;
    connection.closed = true;
    connection.open = false;
    connection.client.closed(code, reason);
  }

  #receive(connection, text) {
    if (connection.closed) return;
    const request = JSON.parse(text);
    request.connection = connection.index;
    this.requests.push(request);
    const waiter = this.#waiters.find((w) => w.type === request.type && w.predicate(request));
    if (waiter) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      request.claimed = true;
      waiter.resolve(request);
    }
    if (this.#silent.has(request.type)) return;
    const failure = this.#failures.get(request.type)?.shift();
    if (failure) {
      this.#deliver(connection, { type: 'reply', id: request.id, ok: false, ...failure });
      return;
    }
    const data = this.#handle(connection, request);
    if (data && data.error) {
      this.#deliver(connection, { type: 'reply', id: request.id, ok: false, ...data.error });
      return;
    }
    this.#deliver(connection, { type: 'reply', id: request.id, ok: true, data: data ?? {} });
    if (request.type === 'resume' && this.#session) {
      for (const event of this.#session.buffer) if (event.seq > request.lastSeq) this.#deliver(connection, event);
    }
  }

  #handle(connection, request) {
    const o = this.#options;
    switch (request.type) {
      case 'login': {
        this.#session = {
          sessionId: `s${this.connections.length}`, resumeToken: 'r', roomID: request.roomId,
          userID: request.user.userID, appId: request.appId, connection, seq: 0, buffer: [],
        };
        return {
          sessionId: this.#session.sessionId, resumeToken: 'r', roomID: request.roomId,
          tokenExpireTime: 4102444800, onlineCount: o.onlineCount, streamList: o.streamList,
          userList: request.config?.userUpdate ? o.userList : [],
        };
      }
      case 'logout':
        if (this.#session?.connection === connection) this.#session = null; // an old connection's, after a move: not the session's
        return {};
      case 'resume':
        if (!this.#session || this.#session.sessionId !== request.sessionId) {
          return { error: { code: 10307, error: 'RESUME_FAILED', message: 'unknown session' } };
        }
        this.#session.connection = connection;
        return { sessionId: this.#session.sessionId, roomID: this.#session.roomID, lastSeq: this.#session.seq };
      case 'publish':
        return this.#publish(request);
      case 'play':
        return this.#play(request);
      case 'heartbeat':
        return { serverTime: Date.now() };
      case 'renewToken':
        return { tokenExpireTime: 4102444800 };
      case 'broadcast':
        return { messageID: 1 };
      default:
        return {}; // unpublish, stopPlay, stats
    }
  }

  #key() { return `k${this.#nextKey++}`; }

  #publish(request) {
    if (request.sdp !== undefined && request.transport !== undefined) return transportError();
    if (request.transport !== undefined && request.transport !== 'rtmp') return transportError();
    if (request.transport === 'rtmp') {
      const appId = this.#session?.appId;
      return { streamID: request.streamID, url: `${this.#options.rtmpBase}/${appId}/${request.streamID}?key=${this.#key()}`, keyExpireTime: 4102444800 };
    }
    return { streamID: request.streamID, sdp: 'v=0 fake answer' };
  }

  #play(request) {
    if (request.transport !== undefined && request.transport !== 'flv' && request.transport !== 'rtmp') return transportError();
    const stream = this.streams.get(request.streamID);
    if (!stream) return { error: { code: 10311, error: 'STREAM_NOT_IN_ROOM', message: 'no such stream in the room' } };
    const appId = this.#session?.appId;
    if (request.transport === 'flv') {
      return { streamID: request.streamID, userID: stream.userID, url: `${this.#options.flvBase}/${appId}/${request.streamID}.flv?key=${this.#key()}`, keyExpireTime: 4102444800 };
    }
    if (request.transport === 'rtmp') {
      return { streamID: request.streamID, userID: stream.userID, url: `${this.#options.rtmpBase}/${appId}/${request.streamID}?key=${this.#key()}`, keyExpireTime: 4102444800 };
    }
    return { streamID: request.streamID, userID: stream.userID, sdp: 'v=0 fake answer' };
  }
}

function transportError() {
  return { error: { code: 10314, error: 'TRANSPORT_UNSUPPORTED', message: 'transport not taken here' } };
}

/**
 * A browser-like WebSocket class bound to a FakeGateway, for code that does `new WebSocket(url)`
 * (install it as globalThis.WebSocket) or takes a socket factory.
 */
export function fakeWebSocketClass(gateway) {
  return class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;

    readyState = 0;
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;
    #connection;

    constructor(url) {
      this.url = url;
      this.#connection = gateway.open(url, {
        opened: () => { this.readyState = 1; this.onopen?.({}); },
        receive: (data) => this.onmessage?.({ data }),
        closed: (code, reason) => { this.readyState = 3; this.onclose?.({ code, reason }); },
        failed: () => { this.readyState = 3; this.onerror?.({}); this.onclose?.({ code: 1006, reason: '' }); },
      });
    }

    send(text) {
      if (this.readyState !== 1) throw new Error('not open');
      this.#connection.send(text);
    }

    close(code, reason) {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      this.#connection.close(code, reason);
    }
  };
}

/** Lets pending callbacks and short timers run: enough for a request, its reply and a setTimeout(0). */
export async function settle(turns = 10) {
  for (let i = 0; i < turns; i++) {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 1));
  }
}
