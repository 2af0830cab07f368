// The players: transports, errors and their codes, the live-player's state codes, the one fresh
// address after -2301, and the publisher leaving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../web/testing/fake-gateway.mjs';
import { stateEvent } from '../testing/fake-wx.mjs';
import { joined, setup } from '../testing/setup.mjs';

const states = (events) => events('playerStateUpdate').map(([r]) => [r.state, r.errorCode]);

test('RTMP instead of HTTP-FLV; a second play of a playing stream changes nothing', async (t) => {
  const { gateway, zg, page } = await joined(t);
  const player = zg.getPlayerInstance('doctor-1');
  assert.equal(await player.play({ transport: 'rtmp' }), true);
  assert.equal(gateway.requestsOf('play')[0].transport, 'rtmp');
  assert.equal(page.data.playerList[0].url, 'rtmp://gw.test:1935/live/1234/doctor-1?key=k1');
  assert.equal(page.data.playerList[0].src, page.data.playerList[0].url);
  assert.equal(await player.play(), true);
  assert.equal(gateway.requestsOf('play').length, 1);
});

test('play errors: not logged in 10402, no initContext 10415, a bad transport 10410, the gateway\'s codes', async (t) => {
  const { gateway, zg, events, page } = setup(t);
  assert.equal(await zg.getPlayerInstance('doctor-1').play(), false);
  assert.deepEqual(states(events), [['PLAY_REQUESTING', 0], ['NO_PLAY', 10402]]);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await zg.getPlayerInstance('doctor-1').play();
  assert.deepEqual(states(events).at(-1), ['NO_PLAY', 10415]);
  zg.initContext({ wxContext: page });
  await zg.getPlayerInstance('doctor-1').play({ transport: 'hls' });
  assert.deepEqual(states(events).at(-1), ['NO_PLAY', 10410]);
  await zg.getPlayerInstance('nobody-9').play();
  assert.deepEqual(events('playerStateUpdate').at(-1),
    [{ streamID: 'nobody-9', state: 'NO_PLAY', errorCode: 10311, extendedData: 'no such stream in the room' }]);
  gateway.failNext('play', 10315, 'CODEC_NOT_PLAYABLE', 'the publisher sends VP8');
  await zg.getPlayerInstance('doctor-1').play();
  assert.deepEqual(states(events).at(-1), ['NO_PLAY', 10315]);
  assert.equal(page.data.playerList, undefined, 'no entry was ever written');
});

test('several players: each entry is added and removed on its own, in play order', async (t) => {
  const { gateway, zg, page } = await joined(t);
  gateway.streams.set('nurse-1', { userID: 'nurse' });
  await zg.getPlayerInstance('doctor-1').play();
  await zg.getPlayerInstance('nurse-1').play();
  assert.deepEqual(page.data.playerList.map((p) => p.id), ['doctor-1', 'nurse-1']);
  zg.getPlayerInstance('doctor-1').stop();
  assert.deepEqual(page.data.playerList.map((p) => p.id), ['nurse-1']);
  zg.getPlayerInstance('doctor-1').setAttributes({ muted: true });
  await zg.getPlayerInstance('doctor-1').play();
  assert.deepEqual(page.data.playerList.map((p) => [p.id, p.muted]), [['nurse-1', false], ['doctor-1', true]]);
  assert.equal(zg.getPlayerInstance('other').stop(), false, 'nothing to stop');
});

test('-2301 asks the gateway once for a fresh address; a second -2301 before playing again is NO_PLAY 10414', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  await zg.getPlayerInstance('doctor-1').play();
  zg.updatePlayerState('doctor-1', stateEvent(2004));
  zg.updatePlayerState('doctor-1', stateEvent(2103, 'reconnecting'));
  zg.updatePlayerState('doctor-1', stateEvent(-2301, 'gave up'));
  await settle();
  assert.equal(gateway.requestsOf('play').length, 2, 'play asked again');
  assert.equal(gateway.requestsOf('play')[1].transport, 'flv');
  assert.equal(page.data.playerList[0].url, 'http://gw.test:8080/live/1234/doctor-1.flv?key=k2', 'the fresh key');
  zg.updatePlayerState('doctor-1', stateEvent(2004));
  // it played again: the next give-up gets its own fresh address
  zg.updatePlayerState('doctor-1', stateEvent(-2301));
  await settle();
  assert.equal(page.data.playerList[0].url, 'http://gw.test:8080/live/1234/doctor-1.flv?key=k3');
  zg.updatePlayerState('doctor-1', stateEvent(-2301, 'gave up again'));
  await settle();
  assert.deepEqual(states(events), [['PLAY_REQUESTING', 0], ['PLAYING', 0], ['PLAY_REQUESTING', 0], ['PLAYING', 0],
    ['PLAY_REQUESTING', 0], ['NO_PLAY', 10414]]);
  assert.deepEqual(JSON.parse(events('playerStateUpdate').at(-1)[0].extendedData), { code: -2301, message: 'gave up again' });
  assert.deepEqual(page.data.playerList, []);
  assert.deepEqual(gateway.requestsOf('stopPlay').map((r) => r.streamID), ['doctor-1'], 'the gateway hears the player stopped');
});

test('-2301 when the gateway no longer has the stream: NO_PLAY with the gateway\'s code', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  await zg.getPlayerInstance('doctor-1').play();
  gateway.streams.delete('doctor-1');
  zg.updatePlayerState('doctor-1', stateEvent(-2301));
  await settle();
  assert.deepEqual(states(events).at(-1), ['NO_PLAY', 10311]);
  assert.deepEqual(page.data.playerList, []);
});

test('other negative live-player codes are NO_PLAY 10414 at once; warnings and events change nothing', async (t) => {
  const { zg, events } = await joined(t);
  await zg.getPlayerInstance('doctor-1').play();
  for (const code of [2001, 2002, 2007, 2009, 2101, 2104, 2106, 2107]) zg.updatePlayerState('doctor-1', stateEvent(code));
  assert.deepEqual(states(events), [['PLAY_REQUESTING', 0]]);
  zg.updatePlayerState('doctor-1', stateEvent(-2302));
  assert.deepEqual(states(events).at(-1), ['NO_PLAY', 10414]);
  const before = events('playerStateUpdate').length;
  zg.updatePlayerState('nobody', stateEvent(2004)); // a stream this engine does not play: ignored
  assert.equal(events('playerStateUpdate').length, before, 'no event for a stream this engine does not play');
});

test('the publisher leaving (roomStreamUpdate DELETE) ends its player: NO_PLAY 0, entry gone, no stopPlay', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  await zg.getPlayerInstance('doctor-1').play();
  zg.updatePlayerState('doctor-1', stateEvent(2004));
  gateway.event({ type: 'roomStreamUpdate', roomID: 'room-1', updateType: 'DELETE', streamList: [{ streamID: 'doctor-1', user: { userID: 'doctor' } }] });
  await settle();
  assert.deepEqual(events('playerStateUpdate').at(-1), [{ streamID: 'doctor-1', state: 'NO_PLAY', errorCode: 0, extendedData: 'the publisher stopped' }]);
  assert.deepEqual(page.data.playerList, []);
  assert.equal(gateway.requestsOf('stopPlay').length, 0);
});

test('a stop before the reply: the late address is not shown', async (t) => {
  const { zg, page, events } = await joined(t);
  const playing = zg.getPlayerInstance('doctor-1').play();
  zg.getPlayerInstance('doctor-1').stop();
  assert.equal(await playing, false);
  await settle();
  assert.equal(page.data.playerList, undefined);
  assert.deepEqual(states(events), [['PLAY_REQUESTING', 0], ['NO_PLAY', 0]]);
});

test('a second play() while the first is out shares its outcome, and one request', async (t) => {
  const { zg, gateway } = await joined(t);
  const player = zg.getPlayerInstance('doctor-1');
  assert.deepEqual(await Promise.all([player.play(), player.play()]), [true, true]);
  assert.equal(gateway.requestsOf('play').length, 1);
  player.stop();
  gateway.failNext('play', 10315, 'CODEC_NOT_PLAYABLE', 'refused');
  assert.deepEqual(await Promise.all([player.play(), player.play()]), [false, false], 'a refusal reaches both callers');
});
