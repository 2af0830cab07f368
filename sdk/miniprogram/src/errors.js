// The Web SDK's codes (104xx, docs/errors.md) plus the mini-program's own. Gateway and room-service
// codes (101xx–103xx) reach the app unchanged, as in the Web SDK.
import { SdkError as WebSdkError, failure, fromReply } from '../../web/src/errors.js';

export const SdkError = Object.freeze({
  ...WebSdkError,
  PUSHER_FAILED: { code: 10413, msg: 'the live-pusher stopped on an error' },
  PLAYER_FAILED: { code: 10414, msg: 'the live-player stopped on an error' },
  CONTEXT_NOT_INITIALIZED: { code: 10415, msg: 'call initContext({wxContext, pushAtr, playAtr}) first' },
  PLATFORM_UNSUPPORTED: { code: 10416, msg: 'neither wx nor my offers connectSocket: not a mini-program runtime' },
});

export { failure, fromReply };
