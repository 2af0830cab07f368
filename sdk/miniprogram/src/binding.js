// How <zego-pusher> and <zego-player> find the engine without the page forwarding their events:
// initContext marks the page (or component) instance it is given with a hidden property holding the
// engine, and a component looks for that property on its owner (selectOwnerComponent) and on the
// open pages (getCurrentPages). The components repeat the property's name (they are copied into
// apps on their own, without the SDK's files); test/components.test.mjs checks the two agree.

export const ENGINE_PROPERTY = '__wenzhenEngine';

export function bindEngine(context, engine) {
  // not enumerable: it must not show up where the page's own fields are listed or copied
  Object.defineProperty(context, ENGINE_PROPERTY, { value: engine, configurable: true, writable: true, enumerable: false });
}

export function unbindEngine(context, engine) {
  if (context && context[ENGINE_PROPERTY] === engine) delete context[ENGINE_PROPERTY];
}
