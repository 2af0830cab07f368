// Debian's Chromium, headless, as the end-to-end scripts drive it: a fake camera and microphone,
// media without a user gesture, WebRTC on loopback. Never a downloaded browser.
import { chromium } from 'playwright-core';

export const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection'];

/**
 * @param extra flags of one scenario's (a camera fed from a file)
 * @param executablePath another way to start Debian's Chromium (in a network namespace of its own)
 */
export function launch(extra = [], executablePath = '/usr/bin/chromium') {
  return chromium.launch({ executablePath, args: [...FLAGS, ...extra], headless: true });
}
