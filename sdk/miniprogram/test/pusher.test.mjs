// The pusher: its errors and their codes, the live-pusher's state codes, attributes and zoom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../web/testing/fake-gateway.mjs';
import { stateEvent } from '../testing/fake-wx.mjs';
import { joined, setup } from '../testing/setup.mjs';

const states = (events) => events('publisherStateUpdate').map(([r]) => [r.state, r.errorCode]);

test('start before login, or before initContext: NO_PUBLISH with 10402 / 10415, nothing sent', async (t) => {
  const { gateway, zg, events, page } = setup(t);
  assert.equal(await zg.createPusher().start('p-1'), false);
  assert.deepEqual(states(events), [['PUBLISH_REQUESTING', 0], ['NO_PUBLISH', 10402]]);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  assert.equal(await zg.getPusherInstance().start('p-1'), false);
  assert.deepEqual(states(events).at(-1), ['NO_PUBLISH', 10415]);
  assert.equal(zg.initContext({ wxContext: {}, pushAtr: 'pusher', playAtr: 'playerList' }), false, 'no setData');
  assert.equal(zg.initContext({ wxContext: page, pushAtr: 7 }), false, 'a name that is not a string');
  assert.equal(zg.initContext(), false);
  await settle();
  assert.equal(gateway.requestsOf('publish').length, 0);
});

test('the gateway refusing the publish: NO_PUBLISH with its code, no live-pusher', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  gateway.failNext('publish', 10209, 'STREAM_ID_IN_USE', 'another publisher is live with this streamID');
  assert.equal(await zg.createPusher().start('p-1'), false);
  assert.deepEqual(events('publisherStateUpdate').at(-1),
    [{ streamID: 'p-1', state: 'NO_PUBLISH', errorCode: 10209, extendedData: 'another publisher is live with this streamID' }]);
  assert.equal(page.data.pusher, undefined);
  // and it can start again
  assert.equal(await zg.getPusherInstance().start('p-2', { extraInfo: 'patient camera' }), true);
  assert.equal(gateway.requestsOf('publish')[1].extraInfo, 'patient camera');
});

test('one stream at a time; a start stopped before its reply leaves nothing behind', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  const pusher = zg.createPusher();
  assert.equal(zg.createPusher(), pusher, 'one pusher per engine');
  assert.equal(zg.getPusherInstance(), pusher);
  const first = pusher.start('p-1');
  assert.equal(await pusher.start('p-2'), false, 'a page has one live-pusher: stop first');
  assert.equal(pusher.stop(), true);
  assert.equal(await first, false);
  await settle();
  assert.equal(page.data.pusher, undefined, 'the late reply did not set the url');
  assert.deepEqual(gateway.requestsOf('unpublish').map((r) => r.streamID), ['p-1']);
  assert.deepEqual(states(events), [['PUBLISH_REQUESTING', 0], ['NO_PUBLISH', 0]]);
  assert.equal(pusher.stop(), false, 'nothing to stop');
});

test('the live-pusher reconnecting and giving up (-1307): REQUESTING, PUBLISHING, NO_PUBLISH 10413', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  await zg.createPusher().start('p-1');
  zg.updatePusherState(stateEvent(1002));
  zg.updatePusherState(stateEvent(1102, 'network disconnected, reconnecting'));
  zg.updatePusherState(stateEvent(3002));
  zg.updatePusherState(stateEvent(1002));
  zg.updatePusherState(stateEvent(1101, 'poor uplink'));
  zg.updatePusherState(stateEvent(3004, 'server closed the connection'));
  zg.updatePusherState(stateEvent(-1307, 'network disconnected after retries'));
  assert.deepEqual(states(events), [['PUBLISH_REQUESTING', 0], ['PUBLISHING', 0], ['PUBLISH_REQUESTING', 0],
    ['PUBLISHING', 0], ['PUBLISH_REQUESTING', 0], ['NO_PUBLISH', 10413]]);
  assert.deepEqual(JSON.parse(events('publisherStateUpdate').at(-1)[0].extendedData), { code: -1307, message: 'network disconnected after retries' });
  assert.deepEqual(page.data.pusher, {});
  await settle();
  assert.deepEqual(gateway.requestsOf('unpublish').map((r) => r.streamID), ['p-1'], 'the streamID is freed on the gateway');
  zg.updatePusherState(stateEvent(1002));
  assert.equal(states(events).length, 6, 'a stopped pusher ignores late codes');
});

test('camera or microphone refused (binderror 10001, -1301): NO_PUBLISH 10408', async (t) => {
  const { zg, events } = await joined(t);
  await zg.createPusher().start('p-1');
  zg.updatePusherState({ detail: { errCode: 10001, errMsg: 'user refused the camera' } });
  assert.deepEqual(states(events).at(-1), ['NO_PUBLISH', 10408]);
  await zg.getPusherInstance().start('p-1');
  zg.updatePusherState(stateEvent(-1301));
  assert.deepEqual(states(events).at(-1), ['NO_PUBLISH', 10408]);
  await zg.getPusherInstance().start('p-1');
  zg.updatePusherState(stateEvent(-1303, 'video encoding failed'));
  assert.deepEqual(states(events).at(-1), ['NO_PUBLISH', 10413]);
});

test('attributes: createPusher overrides the defaults, setAttributes changes them while pushing (not the url)', async (t) => {
  const { zg, page } = await joined(t);
  const pusher = zg.createPusher({ devicePosition: 'back', maxBitrate: 1500 });
  await pusher.start('p-1');
  assert.equal(page.data.pusher.devicePosition, 'back');
  assert.equal(page.data.pusher.maxBitrate, 1500);
  pusher.setAttributes({ muted: true, url: 'rtmp://elsewhere' });
  assert.equal(page.data.pusher.muted, true);
  assert.equal(page.data.pusher.url, 'rtmp://gw.test:1935/live/1234/p-1?key=k1');
});

test('zoom through the LivePusherContext', async (t) => {
  const { api, zg } = await joined(t);
  await zg.createPusher().start('p-1');
  assert.equal(await zg.getCameraMaxZoom(), 6);
  assert.equal(await zg.setCameraZoom(3), 3);
  assert.equal(await zg.getPusherInstance().setZoom('2'), 2);
  assert.deepEqual(api.zoomCalls, [{ method: 'getMaxZoom' }, { method: 'setZoom', zoom: 3 }, { method: 'setZoom', zoom: 2 }]);
  await assert.rejects(zg.setCameraZoom('much'), { code: 10410 });
});

test('zoom where the platform has none, or refuses: 10409, and a max zoom of 1', async (t) => {
  const noZoom = await joined(t, { maxZoom: 0 });
  await assert.rejects(noZoom.zg.setCameraZoom(2), { code: 10409 });
  assert.equal(await noZoom.zg.getCameraMaxZoom(), 1);
  const refusing = await joined(t, { failZoom: true });
  await assert.rejects(refusing.zg.setCameraZoom(2), { code: 10409, msg: 'the camera does not support zoom: setZoom:fail' });
});

test('a destroyed engine: start reports 10411', async (t) => {
  const { zg, events } = await joined(t);
  const pusher = zg.createPusher();
  zg.destroyEngine();
  assert.equal(await pusher.start('p-1'), false);
  assert.deepEqual(states(events).at(-1), ['NO_PUBLISH', 10411]);
});
