// The state-code tables of docs/sdk-miniprogram.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentCode, playerChange, publisherChange } from '../src/state-codes.js';

test('live-pusher codes', () => {
  const table = {
    1001: null, 1002: ['PUBLISHING', 0], 1003: null, 1007: null, 1008: null, 1101: null,
    1102: ['PUBLISH_REQUESTING', 0], 3001: ['PUBLISH_REQUESTING', 0], 3004: ['PUBLISH_REQUESTING', 0], 3005: ['PUBLISH_REQUESTING', 0],
    3006: null, 10003: null, 10004: null,
    [-1301]: ['NO_PUBLISH', 10408], [-1302]: ['NO_PUBLISH', 10408], 10001: ['NO_PUBLISH', 10408], 10002: ['NO_PUBLISH', 10408],
    [-1303]: ['NO_PUBLISH', 10413], [-1307]: ['NO_PUBLISH', 10413], [-1311]: ['NO_PUBLISH', 10413],
  };
  for (const [code, expected] of Object.entries(table)) {
    const change = publisherChange(Number(code));
    assert.deepEqual(change && [change.state, change.errorCode], expected, `code ${code}`);
  }
});

test('live-player codes', () => {
  const table = {
    2001: null, 2002: null, 2003: ['PLAYING', 0], 2004: ['PLAYING', 0], 2006: null, 2007: null, 2009: null,
    2103: ['PLAY_REQUESTING', 0], 3002: ['PLAY_REQUESTING', 0], 3005: ['PLAY_REQUESTING', 0], 2104: null,
    [-2301]: ['NO_PLAY', 10414], [-2302]: ['NO_PLAY', 10414],
  };
  for (const [code, expected] of Object.entries(table)) {
    const change = playerChange(Number(code));
    assert.deepEqual(change && change.state ? [change.state, change.errorCode] : null, expected, `code ${code}`);
  }
  assert.equal(playerChange(-2301).refresh, true);
  assert.equal(playerChange(-2302).refresh, undefined);
  assert.deepEqual(playerChange(2105), { freeze: true });
});

test('the code of a statechange or a binderror event', () => {
  assert.deepEqual(componentCode({ detail: { code: 1002, message: 'ok' } }), { code: 1002, message: 'ok' });
  assert.deepEqual(componentCode({ detail: { errCode: 10001, errMsg: 'denied' } }), { code: 10001, message: 'denied' });
  assert.deepEqual(componentCode({ detail: { code: '2004' } }), { code: 2004, message: '' });
  assert.deepEqual(componentCode(undefined), { code: 0, message: '' });
});
