// publishQualityUpdate / playQualityUpdate figures from a component's bindnetstatus event, in the
// Web SDK's shape (sdk/web/src/quality.js) and graded with the same formulas (mos.js), so that an app
// and quality-service read a mini-program's figures as they read a browser's. Pure functions.
import { gradeOf } from '../../web/src/quality.js';

/** WeChat gives e.detail.info; accept the info object itself too (an app forwarding it by hand). */
export function netStatusInfo(e) {
  const detail = e?.detail ?? e ?? {};
  return detail.info && typeof detail.info === 'object' ? detail.info : detail;
}

/** A finite non-negative number, or 0: net status fields are absent on some versions and platforms. */
function figure(value) {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/** A frame rate, or undefined when not given: 0 would read as a stalled picture (graded unusable). */
function rate(value) {
  return value === undefined || value === null || value === '' ? undefined : figure(value);
}

/** The net status fields with no place in the Web SDK's shape, kept for whoever reads the samples. */
const EXTRA_FIELDS = ['netSpeed', 'netJitter', 'videoGOP', 'videoCache', 'audioCache'];

/**
 * @param info the net status info (videoBitrate and audioBitrate in kbit/s, videoFPS, videoWidth, videoHeight …)
 * @param context direction 'publish'|'play'; for players freezeCount (2105 stalls so far) and
 *   freezes (stalls since the previous net status); windowMs, the time since the previous one
 */
export function statsFromNetStatus(info, { direction, freezeCount = 0, freezes = 0, windowMs = 3000 }) {
  const netStatus = {};
  for (const field of EXTRA_FIELDS) if (info[field] !== undefined) netStatus[field] = figure(info[field]);
  const stats = {
    video: {
      videoBitrate: figure(info.videoBitrate),
      videoFPS: rate(info.videoFPS),
      frameWidth: figure(info.videoWidth),
      frameHeight: figure(info.videoHeight),
      // RTMP and HTTP-FLV run over TCP: nothing is lost on the way, congestion shows as bitrate and stalls
      videoPacketsLostRate: 0,
      // live-pusher sends H.264, and the gateway gives live-player only H.264 (10315 otherwise)
      videoCodec: 'H264',
    },
    audio: {
      audioBitrate: figure(info.audioBitrate),
      audioPacketsLostRate: 0,
    },
    // no round trip time in a net status: left out (undefined), as the Web SDK does when it has none
    currentRoundTripTime: undefined,
    netStatus,
  };
  if (direction === 'play') {
    stats.video.freezeCount = freezeCount;
    stats.peerToPeerDelay = undefined;
  }
  // the Web SDK's grading; RTMP/FLV over TCP report no loss, RTT or jitter
  stats.quality = gradeOf(stats, undefined, undefined, 0, freezes, windowMs);
  return stats;
}
