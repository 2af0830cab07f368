// Test doubles of the mini-program runtime: a `wx` (or Alipay `my`) whose connectSocket returns a
// SocketTask connected to the in-memory FakeGateway, a LivePusherContext that records zoom calls, and
// a page whose setData records every field it is given.

/**
 * @param gateway a FakeGateway (sdk/web/testing/fake-gateway.mjs)
 * @param options alipay: shape messages as older Alipay base libraries do ({data: {data, isBuffer}});
 *   maxZoom: what getMaxZoom answers (0: the context has no zoom methods); failZoom: setZoom fails
 */
export function fakeMiniProgram(gateway, { alipay = false, maxZoom = 6, failZoom = false } = {}) {
  const api = {
    /** every connectSocket call: {options, task} */
    sockets: [],
    /** every setZoom / getMaxZoom call on a LivePusherContext */
    zoomCalls: [],
    connectSocket(options) {
      const task = fakeSocketTask(gateway, options.url, alipay);
      api.sockets.push({ options, task });
      return task;
    },
    createLivePusherContext() {
      if (maxZoom === 0) return {};
      return {
        setZoom({ zoom, success, fail }) {
          api.zoomCalls.push({ method: 'setZoom', zoom });
          setTimeout(() => (failZoom ? fail?.({ errMsg: 'setZoom:fail' }) : success?.({})), 0);
        },
        getMaxZoom({ success }) {
          api.zoomCalls.push({ method: 'getMaxZoom' });
          setTimeout(() => success?.({ maxZoom }), 0);
        },
      };
    },
  };
  return api;
}

/** A SocketTask (WeChat's shape; Alipay's multiple: true is the same) on a FakeGateway connection. */
function fakeSocketTask(gateway, url, alipay) {
  const on = {};
  const task = {
    url,
    closeCalls: [],
    onOpen: (cb) => { on.open = cb; },
    onMessage: (cb) => { on.message = cb; },
    onClose: (cb) => { on.close = cb; },
    onError: (cb) => { on.error = cb; },
    send: ({ data }) => connection.send(data),
    close: ({ code, reason } = {}) => { task.closeCalls.push({ code, reason }); connection.close(code, reason); },
  };
  const connection = gateway.open(url, {
    opened: () => on.open?.({}),
    receive: (text) => on.message?.(alipay ? { data: { data: text, isBuffer: false } } : { data: text }),
    closed: (code, reason) => on.close?.({ code, reason }),
    failed: (why) => on.error?.({ errMsg: `connectSocket:fail ${why}` }), // no close after it, as WeChat may do
  });
  return task;
}

/** A page instance: data, and setData that merges and records each field it is given. */
export function fakePage() {
  const page = {
    data: {},
    /** [{field, value}] in order */
    changes: [],
    setData(patch) {
      for (const [field, value] of Object.entries(patch)) {
        page.changes.push({ field, value: structuredClone(value) });
        page.data[field] = structuredClone(value);
      }
    },
  };
  return page;
}

/** The events a live-pusher / live-player hands its bind* handlers. */
export const stateEvent = (code, message = '') => ({ type: 'statechange', detail: { code, message } });
export const netStatusEvent = (info) => ({ type: 'netstatus', detail: { info } });
