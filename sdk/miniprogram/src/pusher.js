// ZEGO's mini-program pusher (createPusher / getPusherInstance): one per engine, as a page has one
// <live-pusher>. start() asks the gateway for an RTMP push address (`publish` with transport rtmp,
// docs/protocol.md) and writes the live-pusher's attributes into the page; whether media flows is
// then the component's to say, through its state codes (state-codes.js).
import { SdkError, failure, fromReply } from './errors.js';
import { netStatusInfo, statsFromNetStatus } from './net-status.js';
import { componentCode, publisherChange } from './state-codes.js';

/** <live-pusher> attributes for a consultation; createPusher(attributes) and setAttributes override them. */
export const PUSHER_DEFAULTS = Object.freeze({
  mode: 'RTC', // WeChat's low-latency mode for calls
  autopush: true, // pushes as soon as the url is set: start() needs no second step
  enableCamera: true,
  enableMic: true,
  muted: false,
  autoFocus: true,
  devicePosition: 'front',
  orientation: 'vertical',
  // no beautifying: a doctor must see skin, its colour and lesions as they are
  beauty: 0,
  whiteness: 0,
  minBitrate: 200,
  maxBitrate: 1000,
  audioQuality: 'high',
  backgroundMute: false,
  waitingImage: '',
});

export class ZegoWxPusher {
  #port;
  #overrides;
  #streamID = null; // from start() until stop() or a failure
  #attributes = null; // what the page's live-pusher shows, once the gateway gave the address
  #state = 'NO_PUBLISH';
  #attempt = 0; // bumped by every start and end, so that the late reply of an abandoned start is ignored
  #options = {}; // start()'s options: what a recovery publishes with again
  #suspended = null; // {streamID, options} while the session is being recovered

  /**
   * @param port what the pusher needs of its engine: alive(), room(), request(type, fields), view
   *   (PageView), quality (QualityReporter), emit(event, ...args), livePusherContext()
   * @param overrides live-pusher attributes over PUSHER_DEFAULTS
   */
  constructor(port, overrides = {}) {
    this.#port = port;
    this.#overrides = { ...overrides };
  }

  get streamID() { return this.#streamID; }

  get state() { return this.#state; }

  /**
   * Publishes: PUBLISH_REQUESTING now, PUBLISHING when the live-pusher reports pushing (1002), or
   * NO_PUBLISH with a code. Resolves true once the push address is in the page, false otherwise
   * (never rejects: the reason is the NO_PUBLISH event's errorCode, as with the Web SDK's
   * startPublishingStream, so that the tutorial's un-awaited call cannot leave an unhandled rejection).
   */
  async start(streamID, options = {}) {
    if (typeof streamID !== 'string' || !streamID || this.#streamID !== null) return false;
    const attempt = ++this.#attempt;
    const port = this.#port;
    this.#streamID = streamID;
    this.#options = options;
    this.#suspended = null;
    this.#change('PUBLISH_REQUESTING', 0);
    try {
      if (!port.alive()) throw failure(SdkError.ENGINE_DESTROYED);
      if (!port.room()) throw failure(SdkError.NOT_LOGGED_IN);
      if (!port.view.bound) throw failure(SdkError.CONTEXT_NOT_INITIALIZED);
      const reply = await port.request('publish', { streamID, extraInfo: options.extraInfo ?? '', transport: 'rtmp' });
      if (!reply.ok) throw fromReply(reply);
      if (attempt !== this.#attempt) return false; // stopped meanwhile: its unpublish went after this publish
      this.#attributes = { ...PUSHER_DEFAULTS, ...this.#overrides, streamID, url: reply.data.url };
      port.view.setPusher(this.#attributes);
      return true;
    } catch (e) {
      if (attempt === this.#attempt) this.#finish(e.code ?? SdkError.NOT_CONNECTED.code, e.msg ?? '');
      return false;
    }
  }

  /** Stops publishing: unpublish, the live-pusher goes away, NO_PUBLISH (0). False when not publishing. */
  stop() {
    if (this.#suspended !== null) { // waiting to publish again after a recovery: it no longer will
      const { streamID } = this.#suspended;
      this.#suspended = null;
      this.#change('NO_PUBLISH', 0, '', streamID);
      return true;
    }
    if (this.#streamID === null) return false;
    this.#port.request('unpublish', { streamID: this.#streamID }).catch(() => null);
    this.#finish(0, '');
    return true;
  }

  /** Changes live-pusher attributes (muted, enableCamera, devicePosition …); applied at once while pushing. */
  setAttributes(attributes = {}) {
    const { url, streamID, ...rest } = attributes; // the address is the gateway's to give
    Object.assign(this.#overrides, rest);
    if (this.#attributes) {
      this.#attributes = { ...this.#attributes, ...rest };
      this.#port.view.setPusher(this.#attributes);
    }
  }

  /** Camera zoom through the page's LivePusherContext; resolves the zoom set, rejects ZOOM_UNSUPPORTED. */
  setZoom(zoom) {
    const value = Number(zoom);
    if (!Number.isFinite(value) || value <= 0) {
      return Promise.reject(failure(SdkError.INVALID_ARGUMENT, 'setZoom(zoom): a positive number, 1 = no zoom'));
    }
    const context = this.#port.livePusherContext();
    if (!context || typeof context.setZoom !== 'function') return Promise.reject(failure(SdkError.ZOOM_UNSUPPORTED));
    return new Promise((resolve, reject) => {
      context.setZoom({
        zoom: value,
        success: () => resolve(value),
        fail: (e) => reject(failure(SdkError.ZOOM_UNSUPPORTED, e?.errMsg)),
      });
    });
  }

  /** The camera's largest zoom, or 1 where it cannot be known. */
  getMaxZoom() {
    const context = this.#port.livePusherContext();
    if (!context || typeof context.getMaxZoom !== 'function') return Promise.resolve(1);
    return new Promise((resolve) => {
      context.getMaxZoom({ success: (res) => resolve(Number(res?.maxZoom) || 1), fail: () => resolve(1) });
    });
  }

  // --- from the engine -----------------------------------------------------------------------------

  /** A live-pusher bindstatechange (or binderror) event. */
  stateChanged(e) {
    if (this.#attributes === null) return; // no live-pusher of this engine's is on the page
    const { code, message } = componentCode(e);
    const change = publisherChange(code);
    if (!change) return;
    if (change.state === 'NO_PUBLISH') {
      // the component gave up: free the streamID on the gateway, which still holds the publication
      this.#port.request('unpublish', { streamID: this.#streamID }).catch(() => null);
      this.#finish(change.errorCode, JSON.stringify({ code, message }));
      return;
    }
    this.#change(change.state, 0);
  }

  /** A live-pusher bindnetstatus event: publishQualityUpdate, and a stats sample for the gateway. */
  netStatusChanged(e) {
    if (this.#attributes === null) return false;
    this.#port.quality.report('publish', this.#streamID, statsFromNetStatus(netStatusInfo(e), { direction: 'publish' }));
    return true;
  }

  /** The room is over (logout, kick, lost connection, destroy): the gateway has ended the stream itself. */
  end(code) {
    if (this.#suspended !== null) {
      const { streamID } = this.#suspended;
      this.#suspended = null;
      this.#state = 'PUBLISH_REQUESTING';
      this.#change('NO_PUBLISH', code, '', streamID);
      return;
    }
    if (this.#streamID !== null) this.#finish(code, '');
  }

  /**
   * The session was lost and is being recovered: the live-pusher leaves the page (its address is the lost
   * gateway's), PUBLISH_REQUESTING with the loss's code; resume() publishes the same stream again.
   */
  suspend(code) {
    if (this.#streamID === null) return;
    const streamID = this.#streamID;
    this.#suspended = { streamID, options: this.#options };
    this.#attempt++;
    this.#streamID = null;
    if (this.#attributes !== null) this.#port.view.setPusher({});
    this.#attributes = null;
    this.#port.quality.forget('publish', streamID);
    this.#state = 'PUBLISH_REQUESTING';
    this.#port.emit('publisherStateUpdate', { streamID, state: 'PUBLISH_REQUESTING', errorCode: code, extendedData: '' });
  }

  /** Logged in again: the suspended stream is published again (a new address, from the new gateway). */
  resume() {
    if (this.#suspended === null) return;
    const { streamID, options } = this.#suspended;
    this.#state = 'NO_PUBLISH'; // so that start() reports PUBLISH_REQUESTING afresh
    this.start(streamID, options);
  }

  // --- internals -----------------------------------------------------------------------------------

  #finish(errorCode, extendedData) {
    const streamID = this.#streamID;
    this.#attempt++;
    this.#streamID = null;
    if (this.#attributes !== null) this.#port.view.setPusher({});
    this.#attributes = null;
    this.#port.quality.forget('publish', streamID);
    this.#change('NO_PUBLISH', errorCode, extendedData, streamID);
  }

  /** publisherStateUpdate on a change of state only: the component repeats its codes while it retries. */
  #change(state, errorCode, extendedData = '', streamID = this.#streamID) {
    if (state === this.#state) return;
    this.#state = state;
    this.#port.emit('publisherStateUpdate', { streamID, state, errorCode, extendedData });
  }
}
