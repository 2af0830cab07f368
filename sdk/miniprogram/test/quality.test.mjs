// Net status to quality figures: the Web SDK's shape and grade, freezes from the live-player's
// stalls, and the gateway's stats samples at most every 3 s per stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../web/testing/fake-gateway.mjs';
import { playStats } from '../../web/src/quality.js';
import { netStatusInfo, statsFromNetStatus } from '../src/net-status.js';
import { netStatusEvent, stateEvent } from '../testing/fake-wx.mjs';
import { joined } from '../testing/setup.mjs';

const VGA = { videoBitrate: 1000, audioBitrate: 48, videoFPS: 30, videoWidth: 640, videoHeight: 480 };

test('a net status in the Web SDK\'s shape, with what has no place there under netStatus', () => {
  const info = { ...VGA, videoGOP: 2, netSpeed: 1100, netJitter: 4, videoCache: 300, audioCache: 250, vDecCacheSize: 3 };
  assert.deepEqual(statsFromNetStatus(info, { direction: 'play', freezeCount: 1 }), {
    video: { videoBitrate: 1000, videoFPS: 30, frameWidth: 640, frameHeight: 480, videoPacketsLostRate: 0, videoCodec: 'H264', freezeCount: 1 },
    audio: { audioBitrate: 48, audioPacketsLostRate: 0 },
    currentRoundTripTime: undefined,
    peerToPeerDelay: undefined,
    netStatus: { netSpeed: 1100, netJitter: 4, videoGOP: 2, videoCache: 300, audioCache: 250 },
    quality: 0,
  });
  const published = statsFromNetStatus({ ...VGA, videoBitrate: '800' }, { direction: 'publish' });
  assert.equal(published.video.videoBitrate, 800, 'numbers given as strings');
  assert.equal('freezeCount' in published.video, false);
  assert.equal('peerToPeerDelay' in published, false);
  assert.deepEqual(netStatusInfo(netStatusEvent(VGA)), VGA);
  assert.deepEqual(netStatusInfo({ detail: VGA }), VGA, 'a detail without info');
});

test('the grade uses the Web SDK\'s formulas: 0 … 5', () => {
  const gradeOf = (info, context = {}) => statsFromNetStatus(info, { direction: 'play', ...context }).quality;
  assert.equal(gradeOf(VGA), 0);
  assert.equal(gradeOf({ ...VGA, videoFPS: 15, videoBitrate: 800, videoWidth: 480, videoHeight: 640 }), 1);
  assert.equal(gradeOf({ ...VGA, videoBitrate: 300 }), 3);
  assert.equal(gradeOf({ ...VGA, videoFPS: 0 }), 4, 'bytes but no frames: a stall');
  assert.equal(gradeOf({ ...VGA, videoBitrate: 0, videoFPS: 0 }), 0, 'audio only, clean');
  assert.equal(gradeOf({}), 5, 'nothing flowing yet');
  assert.equal(gradeOf({ ...VGA, videoFPS: undefined }), 0, 'an absent frame rate is unknown, not a stall');
  assert.equal(statsFromNetStatus({ ...VGA, videoFPS: undefined }, { direction: 'play' }).video.videoFPS, undefined);
  assert.ok(gradeOf(VGA, { freezes: 3, windowMs: 2000 }) > gradeOf(VGA), 'stalls lower the grade');
});

test('the stats sent carry the field names quality-service reads from the Web SDK', () => {
  const web = playStats(new Map(), new Map(), 3000);
  const mini = JSON.parse(JSON.stringify(statsFromNetStatus(VGA, { direction: 'play' })));
  for (const side of ['video', 'audio']) {
    for (const key of Object.keys(mini[side])) assert.ok(key in web[side], `${side}.${key} is a Web SDK field`);
  }
  for (const key of ['videoBitrate', 'videoFPS', 'frameWidth', 'frameHeight', 'videoPacketsLostRate', 'freezeCount']) assert.ok(key in mini.video, key);
  for (const key of ['audioBitrate', 'audioPacketsLostRate']) assert.ok(key in mini.audio, key);
  assert.equal(typeof mini.quality, 'number');
});

test('every net status is an event; the gateway gets a sample at most every 3 s per stream and direction', async (t) => {
  const { gateway, zg, events, clock } = await joined(t);
  await zg.createPusher().start('patient-1');
  await zg.getPlayerInstance('doctor-1').play();
  const at = (ms) => { clock.now = 100000 + ms; };
  for (const ms of [0, 1000, 2999, 3000, 4500, 6000]) {
    at(ms);
    zg.updatePusherNetStatus(netStatusEvent(VGA));
    zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA));
  }
  await settle();
  assert.equal(events('publishQualityUpdate').length, 6);
  assert.equal(events('playQualityUpdate').length, 6);
  assert.deepEqual(gateway.requestsOf('stats').map((r) => `${r.direction}:${r.streamID}`),
    ['publish:patient-1', 'play:doctor-1', 'publish:patient-1', 'play:doctor-1', 'publish:patient-1', 'play:doctor-1']);
  // a stream stopped and started again reports at once
  zg.getPlayerInstance('doctor-1').stop();
  await zg.getPlayerInstance('doctor-1').play();
  zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA));
  await settle();
  assert.equal(gateway.requestsOf('stats').length, 7);
  const sample = gateway.requestsOf('stats')[0];
  assert.deepEqual(Object.keys(sample).filter((k) => !['type', 'id', 'connection'].includes(k)), ['streamID', 'direction', 'stats']);
  assert.equal('currentRoundTripTime' in sample.stats, false, 'unknown figures are left out of the JSON');
});

test('live-player stalls (2105) count as freezes: a running freezeCount, and the window\'s in the grade', async (t) => {
  const { zg, events, clock } = await joined(t);
  await zg.getPlayerInstance('doctor-1').play();
  zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA));
  zg.updatePlayerState('doctor-1', stateEvent(2105));
  zg.updatePlayerState('doctor-1', stateEvent(2105));
  clock.now += 2000;
  zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA));
  clock.now += 2000;
  zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA));
  const figures = events('playQualityUpdate').map(([, stats]) => [stats.video.freezeCount, stats.quality]);
  assert.deepEqual(figures.map(([count]) => count), [0, 2, 2]);
  assert.ok(figures[1][1] > figures[0][1], 'the window with the stalls grades lower');
  assert.equal(figures[2][1], figures[0][1], 'the next window has none');
});

test('net status of a stream this engine neither publishes nor plays: ignored', async (t) => {
  const { zg, log } = await joined(t);
  log.length = 0;
  assert.equal(zg.updatePlayerNetStatus('nobody', netStatusEvent(VGA)), false);
  assert.equal(zg.updatePusherNetStatus(netStatusEvent(VGA)), false);
  const player = zg.getPlayerInstance('doctor-1');
  const playing = player.play();
  assert.equal(zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA)), false, 'no live-player before the address');
  await playing;
  assert.equal(zg.updatePlayerNetStatus('doctor-1', netStatusEvent(VGA)), true);
});
