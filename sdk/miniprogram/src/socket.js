// The shared signaling code (sdk/web/src/signaling.js) speaks to a browser WebSocket. Mini-programs
// have none: WeChat's wx.connectSocket and Alipay's my.connectSocket return a SocketTask with
// onOpen/onMessage/onClose/onError callbacks and send({data})/close({code, reason}). This adapter
// gives a SocketTask the small WebSocket surface Signaling uses: readyState, the four on* handlers,
// send(text) and close(code, reason).

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** The text of a message callback's argument, or null for binary data (the gateway only sends text). */
export function messageText(res) {
  const data = res?.data;
  // WeChat and Alipay's newer SocketTask: {data: string}; older Alipay: {data: {data, isBuffer}}
  if (typeof data === 'string') return res.isBuffer ? null : data;
  if (data && typeof data.data === 'string') return data.isBuffer ? null : data.data;
  return null;
}

export class MiniProgramSocket {
  readyState = CONNECTING;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  #task;
  #closeReported = false;

  /**
   * @param platform {name: 'wx'|'my', api} (platform.js)
   * @param url the gateway's ws(s)://…/ws address
   */
  constructor(platform, url) {
    const options = {
      url,
      // the call itself failed (a malformed URL, a domain not on the app's socket list): asynchronously,
      // so that Signaling has set its handlers even if a platform calls back at once
      fail: (e) => setTimeout(() => this.#fail(e), 0),
    };
    // Alipay returns a SocketTask only for multiple: true (its default depends on base library and app.json)
    if (platform.name === 'my') options.multiple = true;
    const task = platform.api.connectSocket(options);
    if (!task || typeof task.onOpen !== 'function') {
      throw new Error(`${platform.name}.connectSocket returned no SocketTask (base library too old?)`);
    }
    this.#task = task;
    // WeChat's advice: listen right after connectSocket, in the same turn, or onOpen may be missed
    task.onOpen(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.onopen?.({});
    });
    task.onMessage((res) => {
      if (this.readyState !== OPEN) return;
      const text = messageText(res);
      if (text !== null) this.onmessage?.({ data: text });
    });
    task.onError((e) => this.#fail(e));
    task.onClose((res) => this.#reportClose(res?.code ?? 1006, res?.reason ?? ''));
  }

  send(text) {
    if (this.readyState !== OPEN) throw new Error('the socket is not open');
    this.#task.send({ data: text });
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    try {
      this.#task.close({ code, reason });
    } catch {
      // the task is gone already; the close is reported below all the same
    }
    // A task whose network died may never confirm the close (a browser always does): report it now, so
    // that Signaling, which closes a socket whose heartbeat went unanswered, reconnects in any case.
    setTimeout(() => this.#reportClose(code, reason), 0);
  }

  #fail(e) {
    if (this.#closeReported) return;
    this.onerror?.({ message: e?.errMsg ?? e?.errorMessage ?? 'socket error' });
    // WeChat does not always follow an error with a close: make it one, or a dead socket would linger
    this.#reportClose(1006, e?.errMsg ?? e?.errorMessage ?? '');
  }

  #reportClose(code, reason) {
    if (this.#closeReported) return;
    this.#closeReported = true;
    this.readyState = CLOSED;
    this.onclose?.({ code, reason });
  }
}

/** The createSocket option of Signaling for this platform. */
export function socketFactory(platform) {
  return (url) => new MiniProgramSocket(platform, url);
}
