// Errors the SDK reports itself (104xx, docs/errors.md); the gateway's and room-service's codes
// (101xx–103xx) reach the app unchanged.
export const SdkError = Object.freeze({
  NOT_CONNECTED: { code: 10401, msg: 'the gateway cannot be reached' },
  NOT_LOGGED_IN: { code: 10402, msg: 'log into a room first' },
  WRONG_ROOM: { code: 10403, msg: 'this engine is logged into another room' },
  NOT_PLAYING: { code: 10406, msg: 'this streamID is not being played by this engine' },
  MEDIA_FAILED: { code: 10407, msg: 'the media connection to the gateway failed' },
  DEVICE_FAILED: { code: 10408, msg: 'the camera or microphone could not be opened' },
  ZOOM_UNSUPPORTED: { code: 10409, msg: 'the camera does not support zoom' },
  INVALID_ARGUMENT: { code: 10410, msg: 'an argument is missing or of the wrong type' },
  ENGINE_DESTROYED: { code: 10411, msg: 'the engine was destroyed' },
  CONNECTION_LOST: { code: 10412, msg: 'the connection to the gateway was lost and could not be resumed' },
});

/** The {code, msg} object promises reject with (as ZEGO's do), with the server's name when it has one. */
export function failure(kind, detail) {
  return { code: kind.code, msg: detail ? `${kind.msg}: ${detail}` : kind.msg };
}

/** A gateway reply {ok:false, code, error, message} as a rejection. */
export function fromReply(reply) {
  return { code: reply.code, msg: reply.message ?? reply.error, error: reply.error };
}
