// What the components' bindstatechange codes mean for ZEGO's publisher and player states. The codes
// are WeChat's (<live-pusher>: 1xxx events, 11xx and 3xxx warnings, negative errors; <live-player>:
// 2xxx events, 21xx and 3xxx warnings, negative errors); the tables are in docs/sdk-miniprogram.md.
// Pure functions, so the mapping is tested on its own.
import { SdkError } from './errors.js';

/** RTMP warnings both components give while they retry on their own (DNS, connect, handshake, server closed, I/O). */
const isRtmpWarning = (code) => code >= 3001 && code <= 3005;

/**
 * A live-pusher code as {state, errorCode} to move to, or null when it changes nothing:
 * 1002 (handshake done, pushing) → PUBLISHING; 1102 (network lost, reconnecting) and 3001–3005 →
 * PUBLISH_REQUESTING while the component retries; camera or microphone refused or failing
 * (-1301, -1302, binderror 10001, 10002) → NO_PUBLISH DEVICE_FAILED; any other negative code
 * (-1307: network lost after the component's retries; encoder failures) → NO_PUBLISH PUSHER_FAILED.
 */
export function publisherChange(code) {
  if (code === 1002) return { state: 'PUBLISHING', errorCode: 0 };
  if (code === 1102 || isRtmpWarning(code)) return { state: 'PUBLISH_REQUESTING', errorCode: 0 };
  if (code === -1301 || code === -1302 || code === 10001 || code === 10002) {
    return { state: 'NO_PUBLISH', errorCode: SdkError.DEVICE_FAILED.code };
  }
  if (code < 0) return { state: 'NO_PUBLISH', errorCode: SdkError.PUSHER_FAILED.code };
  return null;
}

/**
 * A live-player code as {state, errorCode, refresh?, freeze?}, or null when it changes nothing:
 * 2003 (first key frame) and 2004 (playback began) → PLAYING; 2103 (network lost, reconnecting) and
 * 3001–3005 → PLAY_REQUESTING while it retries; 2105 (playback stalled) counts a freeze for the
 * quality figures; -2301 (network lost after the component's retries) → the SDK asks the gateway
 * for a fresh address once (refresh) before NO_PLAY PLAYER_FAILED; any other negative code → NO_PLAY
 * PLAYER_FAILED.
 */
export function playerChange(code) {
  if (code === 2003 || code === 2004) return { state: 'PLAYING', errorCode: 0 };
  if (code === 2103 || isRtmpWarning(code)) return { state: 'PLAY_REQUESTING', errorCode: 0 };
  if (code === 2105) return { freeze: true };
  if (code === -2301) return { state: 'NO_PLAY', errorCode: SdkError.PLAYER_FAILED.code, refresh: true };
  if (code < 0) return { state: 'NO_PLAY', errorCode: SdkError.PLAYER_FAILED.code };
  return null;
}

/** The code and message of a bindstatechange (detail {code, message}) or binderror (detail {errCode, errMsg}) event. */
export function componentCode(e) {
  const detail = e?.detail ?? {};
  const code = Number(detail.code ?? detail.errCode);
  return { code: Number.isFinite(code) ? code : 0, message: String(detail.message ?? detail.errMsg ?? '') };
}
