// Where the figures of a net status go: to the app as publishQualityUpdate / playQualityUpdate at
// once (the components report every second or two, and ZEGO's tutorial has the call trigger the
// event), and to the gateway as a `stats` request at most every 3 s per stream and direction, the
// Web SDK's rate, which quality-service's windows are built for.
import { QUALITY_INTERVAL_MS } from '../../web/src/quality.js';

export class QualityReporter {
  #emit;
  #send;
  #now;
  #lastSent = new Map(); // 'publish:streamID' | 'play:streamID' -> when the last stats request went

  /**
   * @param emit (event, streamID, stats) to the app
   * @param send (streamID, direction, stats) to the gateway
   * @param now the clock in ms
   */
  constructor({ emit, send, now }) {
    this.#emit = emit;
    this.#send = send;
    this.#now = now;
  }

  report(direction, streamID, stats) {
    this.#emit(direction === 'publish' ? 'publishQualityUpdate' : 'playQualityUpdate', streamID, stats);
    const key = `${direction}:${streamID}`;
    const now = this.#now();
    const last = this.#lastSent.get(key);
    if (last !== undefined && now - last < QUALITY_INTERVAL_MS) return;
    this.#lastSent.set(key, now);
    this.#send(streamID, direction, stats);
  }

  /** The stream stopped: its next start reports at once. */
  forget(direction, streamID) {
    this.#lastSent.delete(`${direction}:${streamID}`);
  }
}
