// IceRecovery against a peer connection the test plays: when it restarts ICE, how it retries, and when it stops.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { IceRecovery, PLAYER_SILENCE_MS } from '../src/ice-recovery.js';

/** A peer connection that records its offer/answer steps and reports bytesReceived as the test sets it. */
function fakePeerConnection() {
  return {
    signalingState: 'stable', iceConnectionState: 'connected', bytes: 0, steps: [], listeners: {},
    addEventListener(type, listener) { this.listeners[type] = listener; },
    async getStats() { return new Map([['transport', { type: 'transport', bytesReceived: this.bytes }]]); },
    async createOffer() { return { type: 'offer', sdp: 'restart offer' }; },
    async setLocalDescription(description) {
      this.steps.push(description.type === 'rollback' ? 'rollback' : 'offer');
      this.signalingState = description.type === 'rollback' ? 'stable' : 'have-local-offer';
      this.localDescription = { sdp: 'restart offer' };
    },
    async setRemoteDescription() { this.steps.push('answer'); this.signalingState = 'stable'; },
  };
}

/** Pending promises and callbacks (not timers: the test moves those). */
async function flush() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

test('a restart whose request gets no answer is tried again soon, until one is answered', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  const pc = fakePeerConnection();
  const replies = [{ code: 10401, msg: 'no reply' }, { code: 10401, msg: 'no reply' }, 'answer'];
  const signal = mock.fn(async () => { const reply = replies.shift(); if (typeof reply !== 'string') throw reply; return reply; });
  const recovery = new IceRecovery(pc, signal, PLAYER_SILENCE_MS);
  t.after(() => { recovery.stop(); mock.timers.reset(); });
  recovery.restart();
  await flush();
  assert.deepEqual(pc.steps, ['offer', 'rollback'], 'unanswered: back to the last answered state');
  mock.timers.tick(300);
  await flush();
  mock.timers.tick(300);
  await flush();
  assert.equal(signal.mock.callCount(), 3);
  assert.deepEqual(pc.steps, ['offer', 'rollback', 'offer', 'rollback', 'offer', 'answer']);
});

test('a refused restart (the gateway no longer has the connection) ends the recovery and says so once', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  const pc = fakePeerConnection();
  const refused = mock.fn();
  const signal = mock.fn(async () => { throw { code: 10311, msg: 'no such stream in your room' }; });
  const recovery = new IceRecovery(pc, signal, PLAYER_SILENCE_MS, refused);
  t.after(() => { recovery.stop(); mock.timers.reset(); });
  recovery.restart();
  await flush();
  mock.timers.tick(5000);
  recovery.restart();
  await flush();
  assert.equal(signal.mock.callCount(), 1);
  assert.equal(refused.mock.callCount(), 1);
});

test('silence restarts once per silence, not once a second while a stream stays silent for its own reasons', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  const pc = fakePeerConnection();
  const signal = mock.fn(async () => 'answer');
  const recovery = new IceRecovery(pc, signal, PLAYER_SILENCE_MS);
  t.after(() => { recovery.stop(); mock.timers.reset(); });
  const run = async (ms) => {
    for (let t = 0; t < ms; t += 250) {
      mock.timers.tick(250);
      await flush();
    }
  };
  await run(750);
  assert.equal(signal.mock.callCount(), 0, 'not yet: under a second of silence');
  await run(1000);
  assert.equal(signal.mock.callCount(), 1);
  await run(5000);
  assert.equal(signal.mock.callCount(), 1, 'one per silence');
  pc.bytes = 1200; // media again, then silence again
  await run(500);
  await run(1500);
  assert.equal(signal.mock.callCount(), 2);
});
