import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grade, playStats, publishStats } from '../src/quality.js';

const report = (...stats) => new Map(stats.map((s) => [s.id, s]));

test('the grade follows loss and round trip time, and is unknown when nothing flows', () => {
  assert.equal(grade({ lossRate: 0, rttMs: 20, flowing: true }), 0);
  assert.equal(grade({ lossRate: 0.02, rttMs: 20, flowing: true }), 1);
  assert.equal(grade({ lossRate: 0.05, rttMs: 20, flowing: true }), 2);
  assert.equal(grade({ lossRate: 0, rttMs: 700, flowing: true }), 3);
  assert.equal(grade({ lossRate: 0.5, rttMs: 20, flowing: true }), 4);
  assert.equal(grade({ lossRate: 0, rttMs: 20, flowing: false }), 5);
});

test('a player\'s bitrate, frame size and loss come from two snapshots', () => {
  const before = report({ id: 'v', type: 'inbound-rtp', kind: 'video', bytesReceived: 0, packetsReceived: 0, packetsLost: 0, framesDecoded: 0 },
    { id: 'a', type: 'inbound-rtp', kind: 'audio', bytesReceived: 0, packetsReceived: 0, packetsLost: 0 });
  const now = report({ id: 'v', type: 'inbound-rtp', kind: 'video', bytesReceived: 375000, packetsReceived: 990, packetsLost: 10,
    framesDecoded: 90, frameWidth: 640, frameHeight: 480, codecId: 'c' },
  { id: 'a', type: 'inbound-rtp', kind: 'audio', bytesReceived: 12000, packetsReceived: 150, packetsLost: 0 },
  { id: 'c', type: 'codec', mimeType: 'video/H264' },
  { id: 'p', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.04 });
  const stats = playStats(now, before, 3000);
  assert.equal(stats.video.videoBitrate, 1000); // 375000 bytes in 3 s
  assert.equal(stats.video.videoFPS, 30);
  assert.equal(stats.video.frameWidth, 640);
  assert.equal(stats.video.videoPacketsLostRate, 0.01);
  assert.equal(stats.video.videoCodec, 'H264');
  assert.equal(stats.audio.audioBitrate, 32);
  assert.equal(stats.currentRoundTripTime, 40);
  assert.equal(stats.peerToPeerDelay, 20);
  assert.equal(stats.quality, 1);
});

test('a publisher with nothing sent yet is graded unknown', () => {
  const stats = publishStats(report({ id: 'v', type: 'outbound-rtp', kind: 'video', bytesSent: 0 }), undefined, 3000);
  assert.equal(stats.video.videoBitrate, 0);
  assert.equal(stats.quality, 5);
});

test('counters that go backwards (a restarted sender) never give negative figures', () => {
  const before = report({ id: 'v', type: 'inbound-rtp', kind: 'video', bytesReceived: 9000, packetsReceived: 100, packetsLost: 5 });
  const now = report({ id: 'v', type: 'inbound-rtp', kind: 'video', bytesReceived: 100, packetsReceived: 10, packetsLost: 0 });
  const stats = playStats(now, before, 3000);
  assert.equal(stats.video.videoBitrate, 0);
  assert.equal(stats.video.videoPacketsLostRate, 0);
});
