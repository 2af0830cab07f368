// <zego-pusher pusher="{{pusher}}" />: shows the live-pusher whose attributes the SDK writes into the
// page's `pusher` field (initContext's pushAtr), and hands the live-pusher's events to the engine
// bound to the page, so that the page forwards nothing itself. It also re-emits them (statechange,
// netstatus, error) for a page that wants to see them.

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
    pusher: { type: Object, value: {} },
  },
  methods: {
    onStateChange(e) {
      const engine = boundEngine(this);
      if (engine) engine.updatePusherState(e);
      this.triggerEvent('statechange', e.detail);
    },
    onNetStatus(e) {
      const engine = boundEngine(this);
      if (engine) engine.updatePusherNetStatus(e);
      this.triggerEvent('netstatus', e.detail);
    },
    // binderror: {errCode, errMsg}, e.g. 10001 / 10002 when the user refuses the camera / microphone
    onError(e) {
      const engine = boundEngine(this);
      if (engine) engine.updatePusherState(e); // the SDK reads errCode/errMsg as binderror gives them
      this.triggerEvent('error', e.detail);
    },
  },
});
