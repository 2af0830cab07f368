// The quality formulas of docs/quality.md, as quality-service computes them (quality-service's
// analytics/AudioMos, VideoMos, Grade), so the grade of the SDK's quality events and hospital IT's
// agree. Both are tested against docs/quality-vectors.json.

/** G.107 Annex B: transmission rating R to the estimated MOS (1 .. 4.5). */
export function mosOfR(r) {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/**
 * Opus over the simplified E-model (Cole & Rosenbluth): R = 93.2 - Id - Ie,eff, with Ie = 0 and
 * Bpl = 25.1 (a convention: G.113 has no Opus values), one-way delay = RTT/2 + 2 x jitter + 40 ms.
 */
export function audioMos(lossFraction, jitterMs, rttMs) {
  const oneWay = (rttMs == null || Number.isNaN(rttMs) ? 0 : Math.max(0, rttMs) / 2) + 2 * Math.max(0, jitterMs || 0) + 40;
  const id = 0.024 * oneWay + (oneWay > 177.3 ? 0.11 * (oneWay - 177.3) : 0);
  const ppl = 100 * Math.min(1, Math.max(0, lossFraction || 0));
  const ieEff = (95 * ppl) / (ppl + 25.1);
  return mosOfR(Math.max(0, Math.min(100, 93.2 - id - ieEff)));
}

/** Wenzhen's video heuristic: bits per pixel, frame rate, then freezes (docs/quality.md). */
export function videoMos({ kbps, width, height, fps, frozenShare = 0, freezes = 0, windowSeconds = 3 }) {
  if (!(kbps > 0)) return 1;
  const pixels = width > 0 && height > 0 ? width * height : 640 * 480;
  const rate = fps == null || Number.isNaN(fps) ? 30 : Math.max(0, fps);
  if (rate < 0.5) return 1;
  const bitsPerPixel = (kbps * 1000) / (pixels * rate);
  const coding = 1 + 3.5 * (1 - Math.exp(-bitsPerPixel / 0.04));
  const fluidity = Math.min(1, Math.log(1 + rate) / Math.log(31));
  let quality = 1 + (coding - 1) * fluidity;
  const share = Math.min(1, Math.max(0, frozenShare || 0));
  const perTenSeconds = windowSeconds > 0 ? ((freezes || 0) * 10) / windowSeconds : 0;
  quality -= 3.5 * Math.min(1, 2.5 * share) + 0.15 * Math.min(5, perTenSeconds);
  return Math.max(1, Math.min(4.5, quality));
}

const BOUNDS = [mosOfR(80), mosOfR(70), mosOfR(60), mosOfR(50)];

/** ZEGO's grade from a MOS: 0 excellent .. 4 unusable, 5 unknown (G.109's satisfaction bands). */
export function gradeOfMos(mos) {
  if (mos == null || Number.isNaN(mos)) return 5;
  for (let i = 0; i < BOUNDS.length; i++) if (mos >= BOUNDS[i]) return i;
  return 4;
}
