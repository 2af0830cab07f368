// Wenzhen's Web SDK. import { ZegoExpressEngine } from '<gateway>/sdk/index.js'
export { ZegoExpressEngine } from './engine.js';
export { SdkError } from './errors.js';
