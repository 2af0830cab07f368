// npm run pack: the packed SDK is CommonJS that runs on its own (no file outside the project root),
// the components come along, and the sample page's require path finds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGateway, settle } from '../../web/testing/fake-gateway.mjs';
import { pack, toCommonJs } from '../scripts/pack.mjs';
import { fakeMiniProgram, fakePage, stateEvent } from '../testing/fake-wx.mjs';

test('the import/export forms the SDK uses become CommonJS; any other stops the pack', () => {
  const source = [
    "import { a, b as c } from './x.js';",
    "export { d } from './y.js';",
    'export class E {}',
    'export async function f() {}',
    'export const G = 1;',
    'const h = 2;',
    'export { h as H };',
  ].join('\n');
  const { code, imports } = toCommonJs(source, 'm.js', (p) => p.replace('./', './packed/'));
  assert.deepEqual(imports, ['./x.js', './y.js']);
  const exports = {};
  const required = { './packed/x.js': { a: 1, b: 2 }, './packed/y.js': { d: 4 } };
  new Function('require', 'exports', code)((p) => required[p], exports);
  assert.deepEqual(Object.keys(exports).sort(), ['E', 'G', 'H', 'd', 'f']);
  assert.throws(() => toCommonJs("import x from './x.js';", 'm.js', (p) => p), /m\.js:1/);
  assert.throws(() => toCommonJs('export default 1;', 'm.js', (p) => p), /does not convert/);
});

test('packed into a project root, the SDK runs as CommonJS: login, push, play', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wenzhen-pack-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  pack(root);
  const libs = join(root, 'libs', 'wenzhen');
  assert.ok(existsSync(join(libs, 'web', 'signaling.js')), 'the shared Web SDK files come along');
  for (const file of [...readdirSync(libs).map((f) => join(libs, f)), ...readdirSync(join(libs, 'web')).map((f) => join(libs, 'web', f))]) {
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(file, 'utf8');
    assert.doesNotMatch(code, /^\s*(import|export)\b/m, file);
    assert.doesNotMatch(code, /\.\.\/\.\.\/web/, `${file} reaches outside the project`);
  }
  for (const file of ['zego-pusher/zego-pusher.js', 'zego-pusher/zego-pusher.wxml', 'zego-player/zego-player.json', 'zego-player/zego-player.wxss']) {
    assert.ok(existsSync(join(root, 'components', file)), file);
  }
  // the sample page's require('../../libs/wenzhen/index.js'), from pages/consultation/
  const require = createRequire(join(root, 'pages', 'consultation', 'consultation.js'));
  const { ZegoExpressEngine, SdkError } = require('../../libs/wenzhen/index.js');
  assert.equal(SdkError.PLAYER_FAILED.code, 10414);

  const gateway = new FakeGateway();
  gateway.streams.set('doctor-1', { userID: 'doctor' });
  const zg = new ZegoExpressEngine(1234, 'wss://gw.test/ws', { wx: fakeMiniProgram(gateway) });
  t.after(() => zg.destroyEngine());
  const page = fakePage();
  const states = [];
  zg.on('publisherStateUpdate', (r) => states.push(r.state));
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  zg.initContext({ wxContext: page, pushAtr: 'pusher', playAtr: 'playerList' });
  assert.equal(await zg.createPusher().start('patient-1'), true);
  zg.updatePusherState(stateEvent(1002));
  assert.equal(await zg.getPlayerInstance('doctor-1').play(), true);
  await settle();
  assert.deepEqual(states, ['PUBLISH_REQUESTING', 'PUBLISHING']);
  assert.match(page.data.pusher.url, /^rtmp:/);
  assert.equal(page.data.playerList.length, 1);
});
