// The SocketTask adapter on its own: the WebSocket surface Signaling uses, over WeChat's and
// Alipay's SocketTask, including the ways a mini-program socket ends that a browser's does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MiniProgramSocket, messageText } from '../src/socket.js';

/** A SocketTask whose callbacks the test fires by hand. */
function scriptedTask() {
  const task = { on: {}, sent: [], closed: [] };
  for (const name of ['onOpen', 'onMessage', 'onClose', 'onError']) task[name] = (cb) => { task.on[name] = cb; };
  task.send = ({ data }) => task.sent.push(data);
  task.close = (options) => task.closed.push(options);
  return task;
}

function socketOn(name, task = scriptedTask(), capture = {}) {
  const api = { connectSocket: (options) => { capture.options = options; return task; } };
  const socket = new MiniProgramSocket({ name, api }, 'wss://gw.test/ws');
  const seen = [];
  socket.onopen = () => seen.push('open');
  socket.onmessage = (e) => seen.push(['message', e.data]);
  socket.onerror = (e) => seen.push(['error', e.message]);
  socket.onclose = (e) => seen.push(['close', e.code, e.reason]);
  return { socket, task, seen, capture };
}

const tick = () => new Promise((r) => setTimeout(r, 2));

test('open, messages, send, a close from the server', () => {
  const { socket, task, seen, capture } = socketOn('wx');
  assert.equal(capture.options.url, 'wss://gw.test/ws');
  assert.equal('multiple' in capture.options, false);
  assert.equal(socket.readyState, 0);
  assert.throws(() => socket.send('early'));
  task.on.onOpen({});
  assert.equal(socket.readyState, 1);
  task.on.onMessage({ data: '{"type":"hello"}' });
  task.on.onMessage({ data: new ArrayBuffer(4) });
  socket.send('{"type":"heartbeat"}');
  task.on.onClose({ code: 1001, reason: 'going away' });
  task.on.onClose({ code: 1001, reason: 'going away' });
  assert.equal(socket.readyState, 3);
  assert.deepEqual(task.sent, ['{"type":"heartbeat"}']);
  assert.deepEqual(seen, ['open', ['message', '{"type":"hello"}'], ['close', 1001, 'going away']]);
});

test('Alipay: multiple: true, and both message shapes', () => {
  const { task, seen, capture } = socketOn('my');
  assert.equal(capture.options.multiple, true);
  task.on.onOpen();
  task.on.onMessage({ data: 'flat' });
  task.on.onMessage({ data: { data: 'nested', isBuffer: false } });
  task.on.onMessage({ data: { data: 'AAEC', isBuffer: true } });
  task.on.onMessage({ data: 'AAEC', isBuffer: true });
  assert.deepEqual(seen, ['open', ['message', 'flat'], ['message', 'nested']]);
  assert.equal(messageText(undefined), null);
});

test('an error without a close (WeChat may do that) is reported as both, once', () => {
  const { socket, task, seen } = socketOn('wx');
  task.on.onOpen();
  task.on.onError({ errMsg: 'network down' });
  task.on.onClose({ code: 1006 });
  assert.equal(socket.readyState, 3);
  assert.deepEqual(seen, ['open', ['error', 'network down'], ['close', 1006, 'network down']]);
});

test('connectSocket failing (a domain not on the list): error and close, after the handlers are set', async () => {
  const task = scriptedTask();
  const api = { connectSocket: (options) => { options.fail({ errMsg: 'url not in domain list' }); return task; } };
  const socket = new MiniProgramSocket({ name: 'wx', api }, 'wss://elsewhere/ws');
  const seen = [];
  socket.onerror = (e) => seen.push(e.message);
  socket.onclose = (e) => seen.push(e.code);
  await tick();
  assert.deepEqual(seen, ['url not in domain list', 1006]);
});

test('our close is reported even if the task never confirms it', async () => {
  const { socket, task, seen } = socketOn('wx');
  task.on.onOpen();
  socket.close(4001, 'no heartbeat reply');
  assert.equal(socket.readyState, 2);
  assert.deepEqual(task.closed, [{ code: 4001, reason: 'no heartbeat reply' }]);
  await tick();
  task.on.onClose({ code: 4001, reason: 'late' });
  socket.close();
  assert.deepEqual(seen, ['open', ['close', 4001, 'no heartbeat reply']]);
});

test('no SocketTask returned (an old base library): the constructor throws, so Signaling reports 10401', () => {
  assert.throws(() => new MiniProgramSocket({ name: 'my', api: { connectSocket: () => undefined } }, 'wss://x/ws'), /no SocketTask/);
});
