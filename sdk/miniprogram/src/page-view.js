// What the page renders. A mini-program SDK cannot touch <live-pusher>/<live-player> directly: it
// writes their attributes into the page's data with setData, under the two field names initContext
// was given (pushAtr: one object for <zego-pusher pusher=…>, playAtr: one array for <zego-player
// playerList=…>). This module owns those two fields; nothing else calls setData.

export class PageView {
  #context = null;
  #pushAtr = 'pusher';
  #playAtr = 'playerList';
  #pusher = {};
  #players = []; // live-player attribute entries, in the order they were first played

  /** Binds a page (or component) instance; false when it has no setData or a field name is not a string. */
  bind(wxContext, pushAtr = 'pusher', playAtr = 'playerList') {
    if (!wxContext || typeof wxContext.setData !== 'function') return false;
    if (typeof pushAtr !== 'string' || !pushAtr || typeof playAtr !== 'string' || !playAtr) return false;
    this.#context = wxContext;
    this.#pushAtr = pushAtr;
    this.#playAtr = playAtr;
    // a page bound again (or a new page) shows what is already going on
    if (Object.keys(this.#pusher).length || this.#players.length) this.#write({ [pushAtr]: { ...this.#pusher }, [playAtr]: this.#copyPlayers() });
    return true;
  }

  get bound() { return this.#context !== null; }

  get context() { return this.#context; }

  /** The pusher's attributes ({} to take the live-pusher away). */
  setPusher(attributes) {
    this.#pusher = { ...attributes };
    this.#write({ [this.#pushAtr]: { ...this.#pusher } });
  }

  /** Adds a player entry, or replaces the one with the same id. */
  putPlayer(entry) {
    const index = this.#players.findIndex((p) => p.id === entry.id);
    if (index < 0) this.#players.push({ ...entry });
    else this.#players[index] = { ...entry };
    this.#write({ [this.#playAtr]: this.#copyPlayers() });
  }

  removePlayer(id) {
    const index = this.#players.findIndex((p) => p.id === id);
    if (index < 0) return;
    this.#players.splice(index, 1);
    this.#write({ [this.#playAtr]: this.#copyPlayers() });
  }

  /** Empties both fields (logout): the live-pusher and every live-player go away; the page stays bound. */
  clear() {
    const hadSomething = Object.keys(this.#pusher).length || this.#players.length;
    this.#pusher = {};
    this.#players = [];
    if (hadSomething) this.#write({ [this.#pushAtr]: {}, [this.#playAtr]: [] });
  }

  /** Empties both fields and forgets the page (destroyEngine). */
  unbind() {
    this.clear();
    this.#context = null;
  }

  // copies: what the page holds must not change under it when the SDK updates its own state
  #copyPlayers() {
    return this.#players.map((p) => ({ ...p }));
  }

  #write(patch) {
    this.#context?.setData(patch);
  }
}
