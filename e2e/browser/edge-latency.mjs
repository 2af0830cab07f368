// The web side of ./wenzhen bench edge-latency, in headless Chromium through the Web SDK. The picture
// flips between black and white once a second; wall-clock times (Date.now(), the same clock as the
// benchmark's on this machine) of flips sent and seen give the push-to-play latency.
//   watch — plays a stream and records when the picture it shows turns black or white
//   flash — publishes a canvas that turns black or white each second (plus the fake microphone),
//           prints PUBLISHING once the gateway has it, and records when each flip was drawn
// Usage: node edge-latency.mjs watch|flash <gatewayHttpBase> <appId> <roomId> <token> <userId> <streamId> <seconds>
// Prints RESULT {json} at the end.
import { launch } from './chromium.mjs';

const [mode, base, appId, roomId, token, userId, streamId, seconds] = process.argv.slice(2);

const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(base + '/q/health/live');
  await page.evaluate(async ({ base, appId, roomId, token, userId }) => {
    const { ZegoExpressEngine } = await import(base + '/sdk/index.js');
    window.zg = new ZegoExpressEngine(Number(appId), base.replace(/^http/, 'ws') + '/ws');
    window.events = [];
    zg.on('publisherStateUpdate', (e) => events.push(e));
    await zg.loginRoom(roomId, token, { userID: userId, userName: userId }, {});
  }, { base, appId, roomId, token, userId });
  if (mode === 'flash') {
    await page.evaluate(async ({ streamId }) => {
      const canvas = document.createElement('canvas');
      canvas.width = 320; canvas.height = 240;
      const g = canvas.getContext('2d');
      window.flips = [];
      let white = false;
      const paint = () => { g.fillStyle = white ? '#fff' : '#000'; g.fillRect(0, 0, 320, 240); };
      paint();
      setInterval(() => { white = !white; paint(); flips.push({ at: Date.now(), white }); }, 1000);
      setInterval(paint, 66); // keep frames coming between flips
      const stream = canvas.captureStream(15);
      const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
      stream.addTrack(mic.getAudioTracks()[0]);
      zg.startPublishingStream(streamId, stream, { videoCodec: 'H264' });
      for (let i = 0; i < 200 && !events.some((e) => e.state === 'PUBLISHING'); i++) await new Promise((r) => setTimeout(r, 50));
      if (!events.some((e) => e.state === 'PUBLISHING')) throw new Error('not publishing after 10 s: ' + JSON.stringify(events));
    }, { streamId });
    console.log('PUBLISHING');
    await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
    console.log('RESULT ' + JSON.stringify({ flips: await page.evaluate(() => flips) }));
  } else {
    const result = await page.evaluate(async ({ streamId, seconds }) => {
      const remote = await zg.startPlayingStream(streamId);
      const video = document.createElement('video');
      video.autoplay = true; video.muted = true; video.srcObject = remote; document.body.appendChild(video);
      const canvas = document.createElement('canvas');
      canvas.width = 16; canvas.height = 12;
      const g = canvas.getContext('2d', { willReadFrequently: true });
      const seen = [];
      let white = null;
      const onFrame = () => {
        const at = Date.now();
        g.drawImage(video, 0, 0, 16, 12);
        const pixels = g.getImageData(0, 0, 16, 12).data;
        let sum = 0;
        for (let i = 0; i < pixels.length; i += 4) sum += pixels[i + 1];
        const mean = sum / (pixels.length / 4);
        const now = mean > 170 ? true : mean < 85 ? false : white;
        if (now !== white && now !== null) { seen.push({ at, white: now }); white = now; }
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
      await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
      return { seen };
    }, { streamId, seconds });
    console.log('RESULT ' + JSON.stringify(result));
  }
} catch (e) {
  console.log('RESULT ' + JSON.stringify({ error: String(e) }));
} finally {
  await browser.close();
}
