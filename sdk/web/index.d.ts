// TypeScript declarations of Wenzhen's Web SDK (the ZEGO Express style API, ../../docs/sdk.md).

export interface ZegoUser {
  userID: string;
  userName?: string;
}

export interface ZegoRoomConfig {
  /** receive roomUserUpdate events */
  userUpdate?: boolean;
  maxMemberCount?: number;
}

export type ZegoRoomState = 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED';
export type ZegoUpdateType = 'ADD' | 'DELETE';
export type ZegoPublisherState = 'PUBLISH_REQUESTING' | 'PUBLISHING' | 'NO_PUBLISH';
export type ZegoPlayerState = 'PLAY_REQUESTING' | 'PLAYING' | 'NO_PLAY';

export interface ZegoStreamInfo {
  streamID: string;
  user: { userID: string; userName: string };
  extraInfo: string;
  urlsFLV: string;
  urlsRTMP: string;
  urlsHLS: string;
}

export interface ZegoBroadcastMessageInfo {
  fromUser: ZegoUser;
  message: string;
  sendTime: number;
  messageID: number;
}

export interface ZegoPublisherStateResult {
  streamID: string;
  state: ZegoPublisherState;
  errorCode: number;
  extendedData: string;
}

export interface ZegoPlayerStateResult {
  streamID: string;
  state: ZegoPlayerState;
  errorCode: number;
  extendedData: string;
}

export interface ZegoVideoStats {
  /** kbit/s */
  videoBitrate: number;
  videoFPS?: number; // left out when a report gives no frame rate (0 would grade as a stall)
  frameWidth: number;
  frameHeight: number;
  /** 0–1 */
  videoPacketsLostRate: number;
  videoCodec?: string;
  framesDecoded?: number;
  freezeCount?: number;
  totalFreezesDuration?: number;
}

export interface ZegoAudioStats {
  /** kbit/s */
  audioBitrate: number;
  /** 0–1 */
  audioPacketsLostRate: number;
  audioPacketsReceived?: number;
  audioJitter?: number;
}

export interface ZegoQualityStats {
  video: ZegoVideoStats;
  audio: ZegoAudioStats;
  /** ms, to the gateway */
  currentRoundTripTime?: number;
  /** players only: ms, a floor of the one-way delay */
  peerToPeerDelay?: number;
  /** 0 excellent, 1 good, 2 medium, 3 poor, 4 unusable, 5 unknown */
  quality: 0 | 1 | 2 | 3 | 4 | 5;
}

export interface ZegoLocalStreamConfig {
  camera?: {
    audio?: boolean;
    video?: boolean;
    /** 1: 320x240@15, 2: 640x480@15, 3: 1280x720@20, 4: width/height/frameRate */
    videoQuality?: 1 | 2 | 3 | 4;
    width?: number;
    height?: number;
    frameRate?: number;
    facingMode?: 'user' | 'environment';
    deviceID?: string;
  };
}

export interface ZegoPublishStreamConfig {
  videoCodec?: 'VP8' | 'H264';
  extraInfo?: string;
}

/** A rejection: a server code (101xx–103xx) or the SDK's own (104xx), see docs/errors.md. */
export interface ZegoError {
  code: number;
  msg: string;
}

export interface ZegoEvents {
  roomStateUpdate: (roomID: string, state: ZegoRoomState, errorCode: number, extendedData: string) => void;
  roomUserUpdate: (roomID: string, updateType: ZegoUpdateType, userList: ZegoUser[]) => void;
  roomOnlineUserCountUpdate: (roomID: string, count: number) => void;
  roomStreamUpdate: (roomID: string, updateType: ZegoUpdateType, streamList: ZegoStreamInfo[], extendedData: string) => void;
  publisherStateUpdate: (result: ZegoPublisherStateResult) => void;
  playerStateUpdate: (result: ZegoPlayerStateResult) => void;
  publishQualityUpdate: (streamID: string, stats: ZegoQualityStats) => void;
  playQualityUpdate: (streamID: string, stats: ZegoQualityStats) => void;
  IMRecvBroadcastMessage: (roomID: string, messageList: ZegoBroadcastMessageInfo[]) => void;
  tokenWillExpire: (roomID: string) => void;
}

export declare class ZegoExpressEngine {
  /** @param server the gateway's wss://…/ws address (or its https:// address) */
  constructor(appID: number, server: string);
  on<K extends keyof ZegoEvents>(event: K, handler: ZegoEvents[K]): boolean;
  off<K extends keyof ZegoEvents>(event: K, handler?: ZegoEvents[K]): boolean;
  loginRoom(roomID: string, token: string, user: ZegoUser, config?: ZegoRoomConfig): Promise<boolean>;
  logoutRoom(roomID?: string): Promise<boolean>;
  createStream(source?: ZegoLocalStreamConfig): Promise<MediaStream>;
  destroyStream(localStream: MediaStream): void;
  startPublishingStream(streamID: string, localStream: MediaStream, options?: ZegoPublishStreamConfig): boolean;
  stopPublishingStream(streamID: string): boolean;
  startPlayingStream(streamID: string): Promise<MediaStream>;
  stopPlayingStream(streamID: string): boolean;
  sendBroadcastMessage(roomID: string, message: string): Promise<{ errorCode: number; messageID?: number }>;
  renewToken(token: string, roomID?: string): Promise<boolean>;
  getCameraMaxZoom(localStream: MediaStream): number;
  setCameraZoom(localStream: MediaStream, factor: number): Promise<number>;
  destroyEngine(): void;
  /** Drops the signaling socket as a network change would; the SDK reconnects and resumes. */
  simulateNetworkLoss(): void;
}

export declare const SdkError: Readonly<Record<string, ZegoError>>;
