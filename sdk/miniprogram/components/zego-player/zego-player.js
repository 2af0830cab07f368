// <zego-player playerId="{{…}}" playerList="{{playerList}}" />: shows the live-player of the entry
// with this id (the streamID) in the page's `playerList` field, which the SDK writes (initContext's
// playAtr), and hands the live-player's events to the engine bound to the page. It also re-emits
// them (statechange, netstatus) for a page that wants to see them.

// The name the SDK gives the engine on the page it was bound to by initContext (src/binding.js).
// Repeated here because this folder is copied into apps on its own, as ZEGO's tutorial instructs.
const ENGINE_PROPERTY = '__wenzhenEngine';

/** The engine initContext bound to this component's owner (page or component) or to an open page. */
function boundEngine(component) {
  const owners = [];
  if (typeof component.selectOwnerComponent === 'function') owners.push(component.selectOwnerComponent());
  if (typeof getCurrentPages === 'function') owners.push(...getCurrentPages().slice().reverse());
  const owner = owners.find((candidate) => candidate && candidate[ENGINE_PROPERTY]);
  return owner ? owner[ENGINE_PROPERTY] : null;
}

Component({
  properties: {
    playerId: { type: String, value: '' },
    playerList: { type: Array, value: [] },
  },
  data: {
    player: null,
  },
  observers: {
    // every player list change reaches every <zego-player>: each shows its own entry only
    'playerId, playerList'(playerId, playerList) {
      const player = (playerList || []).find((entry) => entry.id === playerId) || null;
      this.setData({ player });
    },
  },
  methods: {
    onStateChange(e) {
      const engine = boundEngine(this);
      if (engine && this.data.player) engine.updatePlayerState(this.data.player.streamID, e);
      this.triggerEvent('statechange', e.detail);
    },
    onNetStatus(e) {
      const engine = boundEngine(this);
      if (engine && this.data.player) engine.updatePlayerNetStatus(this.data.player.streamID, e);
      this.triggerEvent('netstatus', e.detail);
    },
  },
});
