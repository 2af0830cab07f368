// Which mini-program API the SDK talks to: WeChat's `wx`, else Alipay's `my`. Tests (and an app with
// both, e.g. a cross-platform framework) pass one explicitly: new ZegoExpressEngine(id, server, {wx}).

/** {name: 'wx'|'my', api} or null when neither is there (not a mini-program runtime). */
export function resolvePlatform(options = {}) {
  if (options.wx) return { name: 'wx', api: options.wx };
  if (options.my) return { name: 'my', api: options.my };
  /* global wx, my */
  if (typeof wx !== 'undefined' && wx && typeof wx.connectSocket === 'function') return { name: 'wx', api: wx };
  if (typeof my !== 'undefined' && my && typeof my.connectSocket === 'function') return { name: 'my', api: my };
  return null;
}
