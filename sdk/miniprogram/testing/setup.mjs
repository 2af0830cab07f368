// One mini-program engine on the in-memory gateway, with a fake wx (or my), a fake page, a clock the
// test moves, and the log of every event: what each engine test starts from.
import { FakeGateway } from '../../web/testing/fake-gateway.mjs';
import { ZegoExpressEngine } from '../src/index.js';
import { fakeMiniProgram, fakePage } from './fake-wx.mjs';

export const EVENTS = ['roomStateUpdate', 'roomUserUpdate', 'roomOnlineUserCountUpdate', 'roomStreamUpdate',
  'IMRecvBroadcastMessage', 'tokenWillExpire', 'publisherStateUpdate', 'playerStateUpdate',
  'publishQualityUpdate', 'playQualityUpdate'];

/** The doctor's stream, already in the room when the patient logs in. */
export const DOCTOR_STREAM = {
  streamID: 'doctor-1', user: { userID: 'doctor', userName: 'Dr Li' }, extraInfo: '',
  urlsFLV: 'http://gw.test:8080/live/1234/doctor-1.flv', urlsRTMP: 'rtmp://gw.test:1935/live/1234/doctor-1',
};

/**
 * @param t the test context: the engine is destroyed after the test
 * @param options alipay, maxZoom, failZoom (fake-wx.mjs); gateway: FakeGateway options
 */
export function setup(t, { alipay = false, gateway: gatewayOptions = {}, ...wxOptions } = {}) {
  const gateway = new FakeGateway({ streamList: [DOCTOR_STREAM], onlineCount: 2, ...gatewayOptions });
  gateway.streams.set('doctor-1', { userID: 'doctor' });
  const api = fakeMiniProgram(gateway, { alipay, ...wxOptions });
  const clock = { now: 100000 };
  const zg = new ZegoExpressEngine(1234, 'wss://gw.test/ws', { [alipay ? 'my' : 'wx']: api, now: () => clock.now });
  const log = [];
  for (const name of EVENTS) zg.on(name, (...args) => log.push([name, ...args]));
  const page = fakePage();
  t.after(() => zg.destroyEngine());
  /** the events of one name, their arguments only */
  const events = (name) => log.filter((e) => e[0] === name).map((e) => e.slice(1));
  return { gateway, api, zg, log, events, page, clock };
}

/** Logs in as the tutorial does and binds the page. */
export async function joined(t, options) {
  const context = setup(t, options);
  await context.zg.loginRoom('room-1', 'token', { userID: 'patient', userName: 'patient_name' }, { userUpdate: true });
  context.zg.initContext({ wxContext: context.page, pushAtr: 'pusher', playAtr: 'playerList' });
  return context;
}
