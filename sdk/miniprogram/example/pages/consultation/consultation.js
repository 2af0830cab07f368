// A video consultation: the flow of ZEGO's mini-program tutorial (section 3) on Wenzhen's gateway.
// Join logs in, binds this page (initContext), publishes the camera and plays everyone else's
// streams; Leave stops them, logs out and destroys the engine. `npm run pack` in sdk/miniprogram
// puts the SDK into libs/ and the components into components/ first.
const { ZegoExpressEngine } = require('../../libs/wenzhen/index.js');

let zg = null; // the engine of the consultation under way (kept outside the page, as the tutorial does)

const GRADES = ['excellent', 'good', 'medium', 'poor', 'unusable', 'unknown'];

/** A streamID is 1–256 of [0-9A-Za-z_-]; a userID may hold more. */
const streamIdOf = (userID) => `${userID.replace(/[^0-9A-Za-z_-]/g, '_')}-camera`;

/** One <zego-player> for a stream: the fields the tutorial's WXML reads, plus what this page shows. */
const tileOf = (stream) => ({
  id: stream.streamID,
  componentID: `player-${stream.streamID}`,
  playerId: stream.streamID,
  userName: (stream.user && stream.user.userName) || '',
  state: '',
  quality: '',
});

const describe = (stats) => `${GRADES[stats.quality]} · video ${stats.video.videoBitrate} kbit/s, `
  + `${stats.video.videoFPS === undefined ? '?' : stats.video.videoFPS} fps, ${stats.video.frameWidth}×${stats.video.frameHeight} · `
  + `audio ${stats.audio.audioBitrate} kbit/s`;

Page({
  data: {
    server: 'wss://gateway.example/ws',
    appID: '',
    roomID: 'consultation-1',
    userID: '',
    token: '',
    joined: false,
    busy: false,
    roomState: 'DISCONNECTED',
    publishState: 'NO_PUBLISH',
    publishQuality: '',
    message: '',
    zoom: 1,
    maxZoom: 1,
    pusher: {}, // written by the SDK: initContext's pushAtr
    playerList: [], // written by the SDK: initContext's playAtr
    zegoPlayerList: [], // the page's own: which <zego-player> components exist
  },

  onLoad() {
    this.setData({ userID: `patient-${Math.floor(Math.random() * 100000)}` });
  },

  onUnload() {
    this.leave();
  },

  onInput(e) {
    this.setData({ [e.currentTarget.dataset.field]: e.detail.value.trim() });
  },

  async join() {
    if (zg || this.data.busy) return;
    const { server, appID, roomID, userID, token } = this.data;
    if (!server || !appID || !roomID || !userID || !token) {
      this.setData({ message: 'Fill in every field: the token comes from your hospital\'s server.' });
      return;
    }
    this.setData({ busy: true, message: '' });
    zg = new ZegoExpressEngine(Number(appID), server);
    this.listen(zg);
    try {
      await zg.loginRoom(roomID, token, { userID, userName: userID }, { userUpdate: true });
    } catch (e) {
      zg.destroyEngine();
      zg = null;
      this.setData({ busy: false, message: `Could not join: ${e.code} ${e.msg}` });
      return;
    }
    zg.initContext({ wxContext: this, pushAtr: 'pusher', playAtr: 'playerList' });
    this.setData({ joined: true, busy: false });
    zg.createPusher().start(streamIdOf(userID));
  },

  listen(engine) {
    engine.on('roomStateUpdate', (roomID, state, errorCode) => {
      this.setData({ roomState: state });
      if (state === 'DISCONNECTED' && errorCode) this.setData({ message: `Disconnected (${errorCode})` });
    });
    engine.on('roomStreamUpdate', (roomID, updateType, streamList) => {
      if (updateType === 'ADD') {
        streamList.forEach((stream) => engine.getPlayerInstance(stream.streamID).play());
        this.setData({ zegoPlayerList: this.data.zegoPlayerList.concat(streamList.map(tileOf)) });
      } else {
        // the SDK has stopped those players already; their components go too
        const gone = streamList.map((stream) => stream.streamID);
        this.setData({ zegoPlayerList: this.data.zegoPlayerList.filter((tile) => gone.indexOf(tile.id) < 0) });
      }
    });
    engine.on('publisherStateUpdate', ({ state, errorCode }) => {
      this.setData({ publishState: errorCode ? `${state} (${errorCode})` : state });
      if (state === 'PUBLISHING') engine.getCameraMaxZoom().then((maxZoom) => this.setData({ maxZoom }));
    });
    engine.on('playerStateUpdate', ({ streamID, state, errorCode }) => {
      this.updateTile(streamID, { state: errorCode ? `${state} (${errorCode})` : state });
    });
    engine.on('publishQualityUpdate', (streamID, stats) => this.setData({ publishQuality: describe(stats) }));
    engine.on('playQualityUpdate', (streamID, stats) => this.updateTile(streamID, { quality: describe(stats) }));
  },

  updateTile(streamID, fields) {
    const list = this.data.zegoPlayerList.map((tile) => (tile.id === streamID ? Object.assign({}, tile, fields) : tile));
    this.setData({ zegoPlayerList: list });
  },

  onZoom(e) {
    if (!zg) return;
    zg.setCameraZoom(e.detail.value)
      .then((zoom) => this.setData({ zoom }))
      .catch((err) => this.setData({ message: `Zoom: ${err.code} ${err.msg}` }));
  },

  leave() {
    if (!zg) return;
    zg.getPusherInstance().stop();
    this.data.zegoPlayerList.forEach((tile) => zg.getPlayerInstance(tile.id).stop());
    zg.logoutRoom(this.data.roomID);
    zg.destroyEngine();
    zg = null;
    this.setData({ joined: false, zegoPlayerList: [], roomState: 'DISCONNECTED', publishState: 'NO_PUBLISH', publishQuality: '', zoom: 1, maxZoom: 1 });
  },
});
