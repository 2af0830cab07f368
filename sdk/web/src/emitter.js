// on/off/emit for the engine's events. A handler that throws is reported on the console and does not
// stop the others (an app's bug must not break the SDK's state machine).
export class Emitter {
  #handlers = new Map();

  on(event, handler) {
    if (typeof handler !== 'function') return false;
    if (!this.#handlers.has(event)) this.#handlers.set(event, new Set());
    this.#handlers.get(event).add(handler);
    return true;
  }

  off(event, handler) {
    const set = this.#handlers.get(event);
    if (!set) return false;
    if (handler === undefined) { this.#handlers.delete(event); return true; }
    return set.delete(handler);
  }

  emit(event, ...args) {
    for (const handler of [...(this.#handlers.get(event) ?? [])]) {
      try {
        handler(...args);
      } catch (e) {
        console.error(`wenzhen: a '${event}' handler threw`, e);
      }
    }
  }
}
