import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { audioMos, gradeOfMos, videoMos } from '../src/mos.js';

// the reference values quality-service is tested against too
const vectors = JSON.parse(readFileSync(new URL('../../../docs/quality-vectors.json', import.meta.url)));
const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);

test('audio MOS matches the reference values', () => {
  for (const v of vectors.audio) close(audioMos(v.loss, v.jitterMs, v.rttMs), v.mos, JSON.stringify(v));
});

test('video MOS matches the reference values', () => {
  for (const v of vectors.video) close(videoMos(v), v.mos, JSON.stringify(v));
});

test('grades match the reference values', () => {
  for (const v of vectors.grade) assert.equal(gradeOfMos(v.mos), v.grade, JSON.stringify(v));
});
