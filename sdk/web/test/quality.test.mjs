import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grade, playStats, publishStats } from '../src/quality.js';

const report = (...stats) => new Map(stats.map((s) => [s.id, s]));

test('the grade is the MOS band of the weaker medium, and unknown when nothing flows', () => {
  const good = { kbps: 1000, width: 640, height: 480, fps: 30 };
  assert.equal(grade({ flowing: true, audio: { kbps: 32, loss: 0 }, video: good, rttMs: 20 }), 0);
  assert.equal(grade({ flowing: true, audio: { kbps: 32, loss: 0.05 }, video: good, rttMs: 20 }), 1); // MOS 3.88
  assert.equal(grade({ flowing: true, audio: { kbps: 32, loss: 0.2 }, video: good, rttMs: 20 }), 4);
  assert.equal(grade({ flowing: true, audio: { kbps: 32, loss: 0 }, video: { ...good, kbps: 300 }, rttMs: 20 }), 3);
  assert.equal(grade({ flowing: true, audio: { kbps: 32, loss: 0 }, video: { ...good, frozenShare: 0.3 }, rttMs: 20 }), 4);
  assert.equal(grade({ flowing: true, audio: { kbps: 32, loss: 0 }, video: { kbps: 0 }, rttMs: 20 }), 0, 'audio only');
  assert.equal(grade({ flowing: false, audio: { kbps: 0 }, video: { kbps: 0 } }), 5);
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
  assert.equal(stats.quality, 0, '1 Mbit/s of 640x480 at 30 fps and clean audio: excellent');
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
