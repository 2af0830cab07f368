// Wenzhen's mini-program SDK (WeChat; Alipay alike): docs/sdk-miniprogram.md.
// const { ZegoExpressEngine } = require('../../libs/wenzhen/index.js') once packed (npm run pack).
export { ZegoExpressEngine } from './engine.js';
export { SdkError } from './errors.js';
