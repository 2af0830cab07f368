// node --import this-file: a global WebSocket connected to an in-memory FakeGateway, so that the
// gateway driver (test/gateway/miniprogram-driver.mjs) can be tested without a gateway. The doctor's
// stream is in the room; a login with the token "expired" is refused with 10106.
import { FakeGateway, fakeWebSocketClass } from '../../web/testing/fake-gateway.mjs';

const gateway = new FakeGateway({
  streamList: [{ streamID: 'doctor-1', user: { userID: 'doctor', userName: 'Dr Li' }, extraInfo: '' }],
});
gateway.streams.set('doctor-1', { userID: 'doctor' });
const original = gateway.open.bind(gateway);
gateway.open = (url, client) => {
  const connection = original(url, client);
  return {
    ...connection,
    send: (text) => {
      if (JSON.parse(text).token === 'expired') gateway.failNext('login', 10106, 'TOKEN_EXPIRED', 'the token has expired');
      connection.send(text);
    },
  };
};
globalThis.WebSocket = fakeWebSocketClass(gateway);
