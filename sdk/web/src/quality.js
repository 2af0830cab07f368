// publishQualityUpdate / playQualityUpdate figures from two RTCPeerConnection.getStats() snapshots
// taken 3 s apart. Pure functions over plain objects, so they are unit-tested without a browser.
import { audioMos, gradeOfMos, videoMos } from './mos.js';

/**
 * The grade ZEGO's quality events use (0 excellent, 1 good, 2 medium, 3 poor, 4 unusable, 5 unknown), from
 * the lower of the audio and video MOS estimates, exactly as quality-service grades (docs/quality.md).
 */
/** How often both SDKs report quality (events, and `stats` to the gateway). */
export const QUALITY_INTERVAL_MS = 3000;

export function grade({ flowing, audio, video, rttMs, jitterMs }) {
  if (!flowing) return 5;
  const a = audio && audio.kbps > 0 ? audioMos(audio.loss, jitterMs, rttMs) : NaN;
  const v = video && video.kbps > 0 ? videoMos(video) : NaN;
  return gradeOfMos(Number.isNaN(a) ? v : Number.isNaN(v) ? a : Math.min(a, v));
}

/** Reports of a getStats() result by type, as plain objects (RTCStatsReport is Map-like). */
export function byType(report) {
  const out = {};
  report.forEach((s) => { (out[s.type] ??= []).push(s); });
  return out;
}

function kbps(bytesNow, bytesBefore, ms) {
  if (bytesNow === undefined || bytesBefore === undefined || ms <= 0) return 0;
  return Math.max(0, ((bytesNow - bytesBefore) * 8) / ms); // bits per ms = kbit/s
}

function perSecond(now, before, ms) {
  if (now === undefined || before === undefined || ms <= 0) return 0;
  return Math.max(0, ((now - before) * 1000) / ms);
}

function lossRate(lostNow, lostBefore, packetsNow, packetsBefore) {
  const lost = Math.max(0, (lostNow ?? 0) - (lostBefore ?? 0));
  const got = Math.max(0, (packetsNow ?? 0) - (packetsBefore ?? 0));
  return lost + got === 0 ? 0 : lost / (lost + got);
}

function find(list, predicate) {
  return (list ?? []).find(predicate);
}

/** The round trip time of the selected candidate pair, in ms, or undefined. */
function rttOf(types) {
  const pair = find(types['candidate-pair'], (p) => p.nominated && p.state === 'succeeded')
    ?? find(types['candidate-pair'], (p) => p.state === 'succeeded');
  return pair && pair.currentRoundTripTime !== undefined ? Math.round(pair.currentRoundTripTime * 1000) : undefined;
}

/** A publisher's figures: outbound RTP, and the loss the gateway reports back in receiver reports. */
export function publishStats(now, before, ms) {
  const n = byType(now);
  const b = byType(before ?? new Map());
  const video = find(n['outbound-rtp'], (s) => s.kind === 'video');
  const audio = find(n['outbound-rtp'], (s) => s.kind === 'audio');
  const videoBefore = video && find(b['outbound-rtp'], (s) => s.id === video.id);
  const audioBefore = audio && find(b['outbound-rtp'], (s) => s.id === audio.id);
  const remoteVideo = video && find(n['remote-inbound-rtp'], (s) => s.localId === video.id || s.kind === 'video');
  const remoteAudio = audio && find(n['remote-inbound-rtp'], (s) => s.localId === audio.id || s.kind === 'audio');
  const rtt = rttOf(n);
  const stats = {
    video: {
      videoBitrate: round(kbps(video?.bytesSent, videoBefore?.bytesSent, ms)),
      videoFPS: round(video?.framesPerSecond ?? perSecond(video?.framesEncoded, videoBefore?.framesEncoded, ms)),
      frameWidth: video?.frameWidth ?? 0,
      frameHeight: video?.frameHeight ?? 0,
      videoPacketsLostRate: round(remoteVideo?.fractionLost ?? 0, 4),
      videoCodec: codecName(n, video),
    },
    audio: {
      audioBitrate: round(kbps(audio?.bytesSent, audioBefore?.bytesSent, ms)),
      audioPacketsLostRate: round(remoteAudio?.fractionLost ?? 0, 4),
    },
    currentRoundTripTime: rtt,
  };
  stats.quality = gradeOf(stats, rtt, undefined, 0, 0, ms);
  return stats;
}

/** A player's figures: inbound RTP, decoded frames, loss counted from packetsLost. */
export function playStats(now, before, ms) {
  const n = byType(now);
  const b = byType(before ?? new Map());
  const video = find(n['inbound-rtp'], (s) => s.kind === 'video');
  const audio = find(n['inbound-rtp'], (s) => s.kind === 'audio');
  const videoBefore = video && find(b['inbound-rtp'], (s) => s.id === video.id);
  const audioBefore = audio && find(b['inbound-rtp'], (s) => s.id === audio.id);
  const rtt = rttOf(n);
  const stats = {
    video: {
      videoBitrate: round(kbps(video?.bytesReceived, videoBefore?.bytesReceived, ms)),
      videoFPS: round(video?.framesPerSecond ?? perSecond(video?.framesDecoded, videoBefore?.framesDecoded, ms)),
      frameWidth: video?.frameWidth ?? 0,
      frameHeight: video?.frameHeight ?? 0,
      framesDecoded: video?.framesDecoded ?? 0,
      videoPacketsLostRate: round(lossRate(video?.packetsLost, videoBefore?.packetsLost, video?.packetsReceived, videoBefore?.packetsReceived), 4),
      freezeCount: video?.freezeCount ?? 0,
      totalFreezesDuration: video?.totalFreezesDuration ?? 0,
      videoCodec: codecName(n, video),
    },
    audio: {
      audioBitrate: round(kbps(audio?.bytesReceived, audioBefore?.bytesReceived, ms)),
      audioPacketsLostRate: round(lossRate(audio?.packetsLost, audioBefore?.packetsLost, audio?.packetsReceived, audioBefore?.packetsReceived), 4),
      audioPacketsReceived: audio?.packetsReceived ?? 0,
      audioJitter: audio?.jitter,
    },
    currentRoundTripTime: rtt,
    // one-way delay from the publisher is not measurable by the player alone; half the RTT to the gateway is a floor
    peerToPeerDelay: rtt === undefined ? undefined : Math.round(rtt / 2),
  };
  const frozenSeconds = Math.max(0, (video?.totalFreezesDuration ?? 0) - (videoBefore?.totalFreezesDuration ?? 0));
  const freezes = Math.max(0, (video?.freezeCount ?? 0) - (videoBefore?.freezeCount ?? 0));
  const jitterMs = audio?.jitter === undefined ? undefined : audio.jitter * 1000;
  stats.quality = gradeOf(stats, rtt, jitterMs, frozenSeconds, freezes, ms);
  return stats;
}

/** The 0–5 grade of a stats object (both SDKs' quality events): MOS from its figures over {@code ms}. */
export function gradeOf(stats, rttMs, jitterMs, frozenSeconds, freezes, ms) {
  const seconds = Math.max(0.001, ms / 1000);
  return grade({
    flowing: stats.video.videoBitrate > 0 || stats.audio.audioBitrate > 0,
    audio: { kbps: stats.audio.audioBitrate, loss: stats.audio.audioPacketsLostRate },
    video: { kbps: stats.video.videoBitrate, width: stats.video.frameWidth, height: stats.video.frameHeight,
      fps: stats.video.videoFPS ?? undefined, frozenShare: frozenSeconds / seconds, freezes, windowSeconds: seconds },
    // (0 fps while bytes flow is a stall, graded unusable as quality-service grades it)
    rttMs,
    jitterMs,
  });
}

function codecName(types, rtp) {
  const codec = rtp && find(types.codec, (c) => c.id === rtp.codecId);
  return codec ? codec.mimeType.replace(/^video\//, '') : undefined;
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round((x ?? 0) * f) / f;
}
