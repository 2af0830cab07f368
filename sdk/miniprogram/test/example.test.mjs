// The sample mini-program's consultation page, run on the packed SDK with a fake wx and Page():
// join publishes and plays what is in the room, the zoom slider zooms, leave clears everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeGateway, settle } from '../../web/testing/fake-gateway.mjs';
import { pack } from '../scripts/pack.mjs';
import { fakeMiniProgram, stateEvent } from '../testing/fake-wx.mjs';
import { DOCTOR_STREAM } from '../testing/setup.mjs';

test('the sample page: join, publish, play, zoom, leave', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wenzhen-example-'));
  pack(root);
  cpSync(fileURLToPath(new URL('../example/pages', import.meta.url)), join(root, 'pages'), { recursive: true });
  const gateway = new FakeGateway({ streamList: [DOCTOR_STREAM] });
  gateway.streams.set('doctor-1', { userID: 'doctor' });
  const wx = fakeMiniProgram(gateway);
  let definition;
  globalThis.wx = wx; // the packed SDK finds the global wx, as in the WeChat runtime
  globalThis.Page = (d) => { definition = d; };
  t.after(() => {
    page.leave();
    delete globalThis.wx;
    delete globalThis.Page;
    rmSync(root, { recursive: true, force: true });
  });
  createRequire(join(root, 'index.js'))('./pages/consultation/consultation.js');

  const page = { data: structuredClone(definition.data), setData(patch) { Object.assign(this.data, patch); } };
  for (const [name, member] of Object.entries(definition)) if (typeof member === 'function') page[name] = member.bind(page);
  page.onLoad();
  assert.match(page.data.userID, /^patient-\d+$/);
  const type = (field, value) => page.onInput({ currentTarget: { dataset: { field } }, detail: { value } });
  await page.join();
  assert.match(page.data.message, /Fill in every field/);
  type('server', 'wss://gw.test/ws');
  type('appID', '1234');
  type('token', ' 04token ');
  await page.join();
  await settle();
  assert.equal(page.data.joined, true);
  assert.equal(gateway.requestsOf('login')[0].token, '04token');
  assert.match(page.data.pusher.url, new RegExp(`^rtmp://gw.test:1935/live/1234/${page.data.userID}-camera\\?key=`));
  assert.deepEqual(page.data.zegoPlayerList.map((tile) => [tile.componentID, tile.playerId]), [['player-doctor-1', 'doctor-1']]);
  assert.match(page.data.playerList[0].url, /doctor-1\.flv\?key=/);

  // what <zego-pusher> would hand over: the engine is the one bound to this page
  const engine = page.__wenzhenEngine;
  engine.updatePusherState(stateEvent(1002));
  await settle();
  assert.equal(page.data.publishState, 'PUBLISHING');
  assert.equal(page.data.maxZoom, 6);
  page.onZoom({ detail: { value: 3 } });
  await settle();
  assert.equal(page.data.zoom, 3);
  engine.updatePlayerState('doctor-1', stateEvent(2004));
  assert.equal(page.data.zegoPlayerList[0].state, 'PLAYING');

  page.leave();
  await settle();
  assert.equal(page.data.joined, false);
  assert.deepEqual([page.data.pusher, page.data.playerList, page.data.zegoPlayerList], [{}, [], []]);
  assert.equal(gateway.requestsOf('unpublish').length, 1);
  assert.equal(gateway.requestsOf('stopPlay').length, 1);
  assert.equal(wx.sockets[0].task.closeCalls.length, 1);
});
