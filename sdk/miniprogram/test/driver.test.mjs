// The gateway driver's command/response contract (test/gateway/miniprogram-driver.mjs), run as the
// Java end-to-end test runs it, with the in-memory gateway preloaded in place of Node's WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const DRIVER = fileURLToPath(new URL('./gateway/miniprogram-driver.mjs', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../testing/fake-websocket-preload.mjs', import.meta.url));

/** Starts the driver; next() resolves the next JSON line, replies() the next line that is not an event. */
function driver(t, token = 'token') {
  const child = spawn(process.execPath, ['--import', PRELOAD, DRIVER, 'wss://gw.test/ws', '1234', 'room-1', 'patient', token],
    { env: { ...process.env, NODE_TEST_CONTEXT: '' }, stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => child.kill());
  const lines = [];
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const value = JSON.parse(line);
    const waiter = waiting.shift();
    if (waiter) waiter(value); else lines.push(value);
  });
  const next = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiting.push(r)));
  const events = [];
  const reply = async () => {
    for (;;) {
      const value = await next();
      if (!('event' in value)) return value;
      events.push(value);
    }
  };
  const send = (command) => { child.stdin.write(`${command}\n`); return reply(); };
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  return { child, reply, send, events, exited };
}

test('the driver: ready, publish, state codes, play, net status, stops, logout, destroy', async (t) => {
  const d = driver(t);
  assert.deepEqual(await d.reply(), { ready: true });
  const published = await d.send('publish patient-1');
  assert.equal(published.ok, true);
  assert.match(published.pusher.url, /^rtmp:\/\/gw\.test:1935\/live\/1234\/patient-1\?key=/);
  assert.equal(published.pusher.autopush, true);
  assert.deepEqual(await d.send('pushstate 1002'), { ok: true });
  const played = await d.send('play doctor-1 flv');
  assert.equal(played.player.id, 'doctor-1');
  assert.match(played.player.url, /doctor-1\.flv\?key=/);
  assert.deepEqual(await d.send('playstate doctor-1 2004'), { ok: true });
  const stats = await d.send('netstatus doctor-1 {"videoBitrate": 1000, "audioBitrate": 48, "videoFPS": 30, "videoWidth": 640, "videoHeight": 480}');
  assert.deepEqual([stats.ok, stats.stats.video.videoBitrate, stats.stats.quality], [true, 1000, 0]);
  assert.equal((await d.send('netstatus patient-1 {"videoBitrate": 800}')).ok, true);
  assert.deepEqual((await d.send('netstatus nobody {}')).code, 10406);
  assert.deepEqual(await d.send('zoom 2'), { ok: true, zoom: 2 });
  assert.deepEqual(await d.send('stop-play doctor-1'), { ok: true, stopped: true });
  assert.deepEqual(await d.send('stop-publish'), { ok: true, stopped: true });
  assert.deepEqual(await d.send('stop-publish'), { ok: true, stopped: false });
  assert.deepEqual(await d.send('logout'), { ok: true });
  assert.deepEqual(await d.send('destroy'), { ok: true });
  assert.equal(await d.exited, 0);
  const names = d.events.map((e) => e.event);
  for (const name of ['roomStreamUpdate', 'publisherStateUpdate', 'playerStateUpdate', 'publishQualityUpdate', 'playQualityUpdate', 'roomStateUpdate']) {
    assert.ok(names.includes(name), name);
  }
  const publisherStates = d.events.filter((e) => e.event === 'publisherStateUpdate').map((e) => e.args[0].state);
  assert.deepEqual(publisherStates, ['PUBLISH_REQUESTING', 'PUBLISHING', 'NO_PUBLISH']);
});

test('the driver\'s errors: a refused play, an unknown command, stdin closing', async (t) => {
  const d = driver(t);
  await d.reply();
  assert.deepEqual(await d.send('play nobody-9'), { ok: false, code: 10311, msg: 'no such stream in the room' });
  assert.deepEqual(await d.send('play doctor-1 hls'), { ok: false, code: 10410, msg: "an argument is missing or of the wrong type: play({transport: 'flv' | 'rtmp'})" });
  assert.deepEqual(await d.send('dance'), { ok: false, code: 10410, msg: 'unknown command: dance' });
  d.child.stdin.end();
  assert.equal(await d.exited, 0);
});

test('a refused login: {"ready":false} with the code, exit 1', async (t) => {
  const d = driver(t, 'expired');
  assert.deepEqual(await d.reply(), { ready: false, code: 10106, msg: 'the token has expired' });
  assert.equal(await d.exited, 1);
});
