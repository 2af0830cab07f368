// <zego-pusher> and <zego-player> run in a sandbox with a fake Component() and getCurrentPages():
// they find the engine initContext bound to their page and hand it their live-pusher/live-player
// events; their WXML binds every attribute the SDK writes; the sample page keeps the tutorial's WXML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { ENGINE_PROPERTY } from '../src/binding.js';
import { PLAYER_DEFAULTS } from '../src/player.js';
import { PUSHER_DEFAULTS } from '../src/pusher.js';
import { netStatusEvent, stateEvent } from '../testing/fake-wx.mjs';
import { joined } from '../testing/setup.mjs';

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** The object a component file passes to Component(), run with these open pages. */
function definitionOf(name, pages = []) {
  let definition;
  vm.runInNewContext(read(`../components/${name}/${name}.js`), { Component: (d) => { definition = d; }, getCurrentPages: () => pages });
  return definition;
}

/** A component instance as the methods see it: this.data, setData, triggerEvent, selectOwnerComponent. */
function instanceOf(definition, { owner = null, properties = {} } = {}) {
  const instance = {
    data: { ...definition.data, ...properties },
    triggered: [],
    setData(patch) { Object.assign(instance.data, patch); },
    triggerEvent(name, detail) { instance.triggered.push([name, detail]); },
    selectOwnerComponent: () => owner,
  };
  for (const [name, method] of Object.entries(definition.methods)) instance[name] = method.bind(instance);
  return instance;
}

test('both components look for the property the SDK sets', () => {
  for (const name of ['zego-pusher', 'zego-player']) {
    assert.match(read(`../components/${name}/${name}.js`), new RegExp(`const ENGINE_PROPERTY = '${ENGINE_PROPERTY}';`));
  }
});

test('<zego-pusher> hands state, net status and errors to the engine of its owner page', async (t) => {
  const { zg, events, page } = await joined(t);
  await zg.createPusher().start('patient-1');
  const pusher = instanceOf(definitionOf('zego-pusher'), { owner: page, properties: { pusher: page.data.pusher } });
  pusher.onStateChange(stateEvent(1002));
  pusher.onNetStatus(netStatusEvent({ videoBitrate: 900, audioBitrate: 48, videoFPS: 30, videoWidth: 640, videoHeight: 480 }));
  pusher.onError({ detail: { errCode: 10002, errMsg: 'microphone refused' } });
  assert.deepEqual(events('publisherStateUpdate').map(([r]) => [r.state, r.errorCode]),
    [['PUBLISH_REQUESTING', 0], ['PUBLISHING', 0], ['NO_PUBLISH', 10408]]);
  assert.equal(events('publishQualityUpdate').length, 1);
  assert.deepEqual(pusher.triggered.map(([name]) => name), ['statechange', 'netstatus', 'error'], 're-emitted for the page');
});

test('found through getCurrentPages when the owner is not the bound page; without an engine only re-emitted', async (t) => {
  const { zg, events, page } = await joined(t);
  await zg.createPusher().start('patient-1');
  const viaPages = instanceOf(definitionOf('zego-pusher', [{ other: true }, page]), { owner: { notBound: true } });
  viaPages.onStateChange(stateEvent(1002));
  assert.equal(events('publisherStateUpdate').at(-1)[0].state, 'PUBLISHING');
  const alone = instanceOf(definitionOf('zego-pusher', [{}]));
  alone.onStateChange(stateEvent(-1307));
  assert.deepEqual(alone.triggered, [['statechange', { code: -1307, message: '' }]]);
  assert.equal(events('publisherStateUpdate').at(-1)[0].state, 'PUBLISHING', 'no engine reached');
});

test('<zego-player> shows its own entry of the list and hands its events to the engine', async (t) => {
  const { gateway, zg, events, page } = await joined(t);
  gateway.streams.set('nurse-1', { userID: 'nurse' });
  await zg.getPlayerInstance('doctor-1').play();
  await zg.getPlayerInstance('nurse-1').play();
  const definition = definitionOf('zego-player');
  const player = instanceOf(definition, { owner: page, properties: { playerId: 'nurse-1' } });
  definition.observers['playerId, playerList'].call(player, 'nurse-1', page.data.playerList);
  assert.equal(player.data.player.id, 'nurse-1');
  assert.match(player.data.player.url, /nurse-1\.flv\?key=/);
  player.onStateChange(stateEvent(2004));
  player.onNetStatus(netStatusEvent({ videoBitrate: 500, audioBitrate: 32, videoFPS: 25, videoWidth: 640, videoHeight: 360 }));
  assert.deepEqual(events('playerStateUpdate').filter(([r]) => r.state === 'PLAYING').map(([r]) => r.streamID), ['nurse-1']);
  assert.deepEqual(events('playQualityUpdate').map(([streamID]) => streamID), ['nurse-1']);
  definition.observers['playerId, playerList'].call(player, 'nurse-1', []);
  assert.equal(player.data.player, null, 'its entry left the list: no live-player');
  player.onStateChange(stateEvent(2004)); // nothing to hand over, no throw
});

test('the WXML binds every attribute the SDK writes', () => {
  const pusherWxml = read('../components/zego-pusher/zego-pusher.wxml');
  for (const key of ['url', ...Object.keys(PUSHER_DEFAULTS)]) assert.ok(pusherWxml.includes(`{{pusher.${key}}}`), `pusher.${key}`);
  const playerWxml = read('../components/zego-player/zego-player.wxml');
  for (const key of ['url', 'id', ...Object.keys(PLAYER_DEFAULTS)]) assert.ok(playerWxml.includes(`{{player.${key}}}`), `player.${key}`);
  for (const wxml of [pusherWxml, playerWxml]) {
    assert.match(wxml, /bindstatechange="onStateChange"/);
    assert.match(wxml, /bindnetstatus="onNetStatus"/);
  }
});

test('the sample page uses the tutorial\'s WXML and initContext as they are', () => {
  const wxml = read('../example/pages/consultation/consultation.wxml');
  assert.ok(wxml.includes('<zego-pusher id="zegoPusher" pusher="{{pusher}}" />'));
  assert.ok(wxml.includes('<zego-player wx:for="{{zegoPlayerList}}" wx:key="id" id="{{item.componentID}}" playerId="{{item.playerId}}" playerList="{{playerList}}" />'));
  const js = read('../example/pages/consultation/consultation.js');
  assert.ok(js.includes("zg.initContext({ wxContext: this, pushAtr: 'pusher', playAtr: 'playerList' })"));
  const json = JSON.parse(read('../example/pages/consultation/consultation.json'));
  assert.deepEqual(json.usingComponents, {
    'zego-pusher': '../../components/zego-pusher/zego-pusher',
    'zego-player': '../../components/zego-player/zego-player',
  });
});
