// TypeScript declarations of Wenzhen's mini-program SDK (../../docs/sdk-miniprogram.md). The room
// API, events and quality figures are the Web SDK's (../web/index.d.ts); publishing and playing go
// through the page's <live-pusher> and <live-player>.
import type { ZegoError, ZegoEvents as ZegoWebEvents, ZegoQualityStats, ZegoRoomConfig, ZegoUser } from '../web/index';

export type {
  ZegoBroadcastMessageInfo, ZegoError, ZegoPlayerState, ZegoPlayerStateResult, ZegoPublisherState,
  ZegoPublisherStateResult, ZegoRoomConfig, ZegoRoomState, ZegoStreamInfo, ZegoUpdateType, ZegoUser,
} from '../web/index';

/** The mini-program's quality figures: the Web SDK's, plus the net status fields with no place there. */
export interface ZegoWxQualityStats extends ZegoQualityStats {
  netStatus: { netSpeed?: number; netJitter?: number; videoGOP?: number; videoCache?: number; audioCache?: number };
}

export interface ZegoEvents extends Omit<ZegoWebEvents, 'publishQualityUpdate' | 'playQualityUpdate'> {
  publishQualityUpdate: (streamID: string, stats: ZegoWxQualityStats) => void;
  playQualityUpdate: (streamID: string, stats: ZegoWxQualityStats) => void;
}

/** What the SDK writes into the page's pushAtr field; <zego-pusher> binds each to <live-pusher>. */
export interface ZegoWxPusherAttributes {
  /** the gateway's rtmp:// push address, with its key */
  url: string;
  streamID: string;
  /** 'RTC' by default */
  mode: 'SD' | 'HD' | 'FHD' | 'RTC';
  autopush: boolean;
  enableCamera: boolean;
  enableMic: boolean;
  muted: boolean;
  autoFocus: boolean;
  devicePosition: 'front' | 'back';
  orientation: 'vertical' | 'horizontal';
  /** 0 by default: no beautifying in a consultation */
  beauty: number;
  whiteness: number;
  /** kbit/s */
  minBitrate: number;
  maxBitrate: number;
  audioQuality: 'high' | 'low';
  backgroundMute: boolean;
  waitingImage: string;
}

/** One entry of the page's playAtr list; <zego-player playerId="…"> shows the one with that id. */
export interface ZegoWxPlayerAttributes {
  /** the streamID */
  id: string;
  playerId: string;
  streamID: string;
  transport: 'flv' | 'rtmp';
  /** the gateway's http(s)://….flv or rtmp:// play address, with its key; src is the same */
  url: string;
  src: string;
  mode: 'live' | 'RTC';
  autoplay: boolean;
  muted: boolean;
  orientation: 'vertical' | 'horizontal';
  objectFit: 'contain' | 'fillCrop';
  /** seconds */
  minCache: number;
  maxCache: number;
  soundMode: 'speaker' | 'ear';
}

/** A component event as <live-pusher>/<live-player> give it: statechange {code, message}, netstatus {info}. */
export interface ZegoWxComponentEvent {
  detail: { code?: number; message?: string; errCode?: number; errMsg?: string; info?: Record<string, number> };
}

export interface ZegoWxPusher {
  readonly streamID: string | null;
  readonly state: 'PUBLISH_REQUESTING' | 'PUBLISHING' | 'NO_PUBLISH';
  /** Resolves true once the push address is in the page; false otherwise (the reason: publisherStateUpdate NO_PUBLISH). */
  start(streamID: string, options?: { extraInfo?: string }): Promise<boolean>;
  /** unpublish; the live-pusher goes away; false when not publishing */
  stop(): boolean;
  setAttributes(attributes: Partial<ZegoWxPusherAttributes>): void;
  /** resolves the zoom set; rejects ZOOM_UNSUPPORTED (10409), or INVALID_ARGUMENT (10410) for a zoom that is not a positive number */
  setZoom(zoom: number): Promise<number>;
  getMaxZoom(): Promise<number>;
}

export interface ZegoWxPlayer {
  readonly streamID: string;
  readonly state: 'PLAY_REQUESTING' | 'PLAYING' | 'NO_PLAY';
  /** Resolves true once the entry is in the page's list; false otherwise (the reason: playerStateUpdate NO_PLAY). */
  play(options?: { transport?: 'flv' | 'rtmp' }): Promise<boolean>;
  /** stopPlay; the entry leaves the list; false when not playing */
  stop(): boolean;
  setAttributes(attributes: Partial<ZegoWxPlayerAttributes>): void;
}

export interface ZegoWxEngineOptions {
  /** the API object to use instead of the global wx (tests, unusual hosts) */
  wx?: object;
  /** Alipay's, instead of the global my */
  my?: object;
  /** the clock, ms */
  now?: () => number;
}

export declare class ZegoExpressEngine {
  /** @param server the gateway's wss://…/ws address (or its https:// address) */
  constructor(appID: number, server: string, options?: ZegoWxEngineOptions);
  on<K extends keyof ZegoEvents>(event: K, handler: ZegoEvents[K]): boolean;
  off<K extends keyof ZegoEvents>(event: K, handler?: ZegoEvents[K]): boolean;
  loginRoom(roomID: string, token: string, user: ZegoUser, config?: ZegoRoomConfig): Promise<boolean>;
  logoutRoom(roomID?: string): Promise<boolean>;
  sendBroadcastMessage(roomID: string, message: string): Promise<{ errorCode: number; messageID?: number }>;
  renewToken(token: string, roomID?: string): Promise<boolean>;
  /** false when wxContext has no setData or a field name is not a string */
  initContext(context: { wxContext: { setData(data: object): void }; pushAtr?: string; playAtr?: string }): boolean;
  createPusher(attributes?: Partial<ZegoWxPusherAttributes>): ZegoWxPusher;
  getPusherInstance(): ZegoWxPusher;
  getPlayerInstance(streamID: string): ZegoWxPlayer;
  updatePusherState(e: ZegoWxComponentEvent): void;
  updatePusherNetStatus(e: ZegoWxComponentEvent): boolean;
  /** with the pusher's streamID: the live-pusher's */
  updatePlayerState(streamID: string, e: ZegoWxComponentEvent): void;
  /** with the pusher's streamID: the live-pusher's (publishQualityUpdate) */
  updatePlayerNetStatus(streamID: string, e: ZegoWxComponentEvent): boolean;
  setCameraZoom(zoom: number): Promise<number>;
  getCameraMaxZoom(): Promise<number>;
  destroyEngine(): void;
}

export declare const SdkError: Readonly<Record<string, ZegoError>>;
