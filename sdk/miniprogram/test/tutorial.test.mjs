// ZEGO's mini-program tutorial, section 3, run unchanged against the in-memory gateway: every page
// attribute the SDK sets, every request it sends and every event, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../web/testing/fake-gateway.mjs';
import { netStatusEvent, stateEvent } from '../testing/fake-wx.mjs';
import { DOCTOR_STREAM, setup } from '../testing/setup.mjs';

test('the tutorial\'s flow: login, initContext, push, play, quality, stop, logout, destroy', async (t) => {
  const { gateway, api, zg, log, events, page } = setup(t);

  // 3.2.3 / 3.3.2: callbacks, then login
  const states = [];
  zg.on('roomStateUpdate', (roomID, state) => states.push(state));
  const result = await zg.loginRoom('room-1', 'token', { userID: 'user1', userName: 'user1_name' }, { userUpdate: true });
  assert.equal(result, true);
  assert.deepEqual(states, ['CONNECTING', 'CONNECTED']);
  assert.equal(api.sockets.length, 1);
  assert.equal(api.sockets[0].options.url, 'wss://gw.test/ws');
  assert.equal(api.sockets[0].options.multiple, undefined, 'WeChat: no Alipay option');

  // 3.4.1: initContext binds the page
  assert.equal(zg.initContext({ wxContext: page, pushAtr: 'pusher', playAtr: 'playerList' }), true);
  await settle();
  assert.deepEqual(events('roomOnlineUserCountUpdate'), [['room-1', 2]]);
  assert.deepEqual(events('roomStreamUpdate'), [['room-1', 'ADD', [{ urlsHLS: '', ...DOCTOR_STREAM }], '']],
    'streamList entries keep urlsFLV and urlsRTMP');

  // 3.4.3: createPusher().start(streamID), not awaited
  const pusher = zg.createPusher();
  const started = pusher.start('streamID_xxx');
  assert.deepEqual(events('publisherStateUpdate'), [[{ streamID: 'streamID_xxx', state: 'PUBLISH_REQUESTING', errorCode: 0, extendedData: '' }]]);
  assert.equal(await started, true);
  const publish = gateway.requestsOf('publish')[0];
  assert.deepEqual([publish.streamID, publish.transport, publish.extraInfo, publish.sdp], ['streamID_xxx', 'rtmp', '', undefined]);
  assert.deepEqual(page.data.pusher, {
    url: 'rtmp://gw.test:1935/live/1234/streamID_xxx?key=k1', streamID: 'streamID_xxx',
    mode: 'RTC', autopush: true, enableCamera: true, enableMic: true, muted: false, autoFocus: true,
    devicePosition: 'front', orientation: 'vertical', beauty: 0, whiteness: 0, minBitrate: 200, maxBitrate: 1000,
    audioQuality: 'high', backgroundMute: false, waitingImage: '',
  });
  // the live-pusher's state codes, as <zego-pusher> forwards them
  zg.updatePusherState(stateEvent(1001, 'connected'));
  zg.updatePusherState(stateEvent(1002, 'push begin'));
  zg.updatePusherState(stateEvent(1002, 'push begin'));
  assert.deepEqual(events('publisherStateUpdate').map(([r]) => r.state), ['PUBLISH_REQUESTING', 'PUBLISHING']);

  // 3.5: getPlayerInstance(streamID).play()
  const player = zg.getPlayerInstance('doctor-1');
  assert.equal(zg.getPlayerInstance('doctor-1'), player, 'the same instance per streamID');
  assert.equal(await player.play(), true);
  const play = gateway.requestsOf('play')[0];
  assert.deepEqual([play.streamID, play.transport, play.sdp], ['doctor-1', 'flv', undefined]);
  const url = 'http://gw.test:8080/live/1234/doctor-1.flv?key=k2';
  assert.deepEqual(page.data.playerList, [{
    id: 'doctor-1', playerId: 'doctor-1', streamID: 'doctor-1', transport: 'flv', url, src: url,
    mode: 'RTC', autoplay: true, muted: false, orientation: 'vertical', objectFit: 'contain',
    minCache: 0.2, maxCache: 0.8, soundMode: 'speaker',
  }]);
  for (const code of [2001, 2002, 2008, 2003, 2004]) zg.updatePlayerState('doctor-1', stateEvent(code));
  assert.deepEqual(events('playerStateUpdate').map(([r]) => [r.streamID, r.state, r.errorCode]),
    [['doctor-1', 'PLAY_REQUESTING', 0], ['doctor-1', 'PLAYING', 0]]);

  // quality: updatePlayerNetStatus with the pusher's streamID is the publisher's, as the tutorial has it
  zg.updatePlayerNetStatus('streamID_xxx', netStatusEvent({ videoBitrate: 1000, audioBitrate: 48, videoFPS: 30, videoWidth: 640, videoHeight: 480 }));
  zg.updatePlayerNetStatus('doctor-1', netStatusEvent({ videoBitrate: 300, audioBitrate: 32, videoFPS: 30, videoWidth: 640, videoHeight: 480 }));
  const [[publishedID, published]] = events('publishQualityUpdate');
  assert.equal(publishedID, 'streamID_xxx');
  assert.deepEqual([published.video.videoBitrate, published.audio.audioBitrate, published.video.videoFPS,
    published.video.frameWidth, published.video.frameHeight, published.quality], [1000, 48, 30, 640, 480, 0]);
  const [[playedID, played]] = events('playQualityUpdate');
  assert.equal(playedID, 'doctor-1');
  assert.equal(played.quality, 3, '300 kbit/s of 640x480 at 30 fps grades poor, as on the web');
  await settle();
  assert.deepEqual(gateway.requestsOf('stats').map((r) => [r.streamID, r.direction, r.stats.quality]),
    [['streamID_xxx', 'publish', 0], ['doctor-1', 'play', 3]]);

  // 3.7.1: stop pushing and playing
  assert.equal(zg.getPusherInstance().stop(), true);
  assert.equal(zg.getPlayerInstance('doctor-1').stop(), true);
  assert.deepEqual(page.data.pusher, {});
  assert.deepEqual(page.data.playerList, []);
  await settle();
  assert.deepEqual(gateway.requestsOf('unpublish').map((r) => r.streamID), ['streamID_xxx']);
  assert.deepEqual(gateway.requestsOf('stopPlay').map((r) => r.streamID), ['doctor-1']);
  assert.deepEqual(events('publisherStateUpdate').at(-1), [{ streamID: 'streamID_xxx', state: 'NO_PUBLISH', errorCode: 0, extendedData: '' }]);
  assert.deepEqual(events('playerStateUpdate').at(-1), [{ streamID: 'doctor-1', state: 'NO_PLAY', errorCode: 0, extendedData: '' }]);

  // 3.7.2 / 3.8: logout, destroy
  await zg.logoutRoom('room-1');
  assert.equal(gateway.requestsOf('logout').length, 1);
  assert.deepEqual(states.at(-1), 'DISCONNECTED');
  zg.destroyEngine();
  await settle();
  assert.deepEqual(api.sockets[0].task.closeCalls, [{ code: 1000, reason: 'engine destroyed' }]);
  assert.equal(page.__wenzhenEngine, undefined, 'the page no longer leads to the engine');
});

test('the page\'s fields are only ever the two initContext named', async (t) => {
  const { zg, page } = setup(t);
  await zg.loginRoom('room-1', 'token', { userID: 'patient' });
  zg.initContext({ wxContext: page, pushAtr: 'localPusher', playAtr: 'remotes' });
  await zg.createPusher().start('p-1');
  await zg.getPlayerInstance('doctor-1').play();
  assert.deepEqual([...new Set(page.changes.map((c) => c.field))], ['localPusher', 'remotes']);
  assert.deepEqual(Object.keys(page), ['data', 'changes', 'setData'], 'the engine property is hidden');
});
