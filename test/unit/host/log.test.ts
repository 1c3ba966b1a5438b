import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SOURCE_LINES_PER_MINUTE, TOTAL_LINES_PER_MINUTE, createLogger, redact } from '../../../src/host/log';

function sink() {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, sink: { trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') } };
}

test('tokens, authorization headers and URL credentials never reach the log', () => {
  const out = redact('GET ws://user:secret@host/x Authorization: Bearer abc.def-123 token=s3cr3t {"x-api-key":"k"}');
  assert.ok(!out.includes('secret@'));
  assert.ok(!out.includes('abc.def-123'));
  assert.ok(!out.includes('s3cr3t'));
  assert.ok(!out.includes('"k"'));
  assert.ok(out.includes('[redacted]'));
});

test('repeated warnings are rate-limited per minute, then counted', () => {
  const s = sink();
  let now = 0;
  const log = createLogger(s.sink, () => now);
  for (let i = 0; i < 100; i++) log.warn(`[api] could not decode message ${i}`);
  assert.equal(s.lines.length, 6);
  assert.ok(s.lines[5]?.includes('muted'));
  now = 61_000;
  log.warn('[api] could not decode message 101');
  assert.ok(s.lines.some((l) => l.includes('more like')));
  log.info('different');
  assert.ok(s.lines.at(-1)?.startsWith('info different'));
});

test('control and bidi characters are neutralised and long lines cut', () => {
  const s = sink();
  const log = createLogger(s.sink);
  log.warn(`a\u202Eb\u0007c${'x'.repeat(10_000)}`);
  assert.ok(!s.lines[0]?.includes('\u202E'));
  assert.ok((s.lines[0]?.length ?? 0) < 600);
});

/** Texts that differ in letters, not digits: the per-text limiter (which masks digits) sees each as new. */
function letters(i: number): string {
  let out = '';
  for (let n = i + 26 * 26; n > 0; n = Math.floor(n / 26)) out += String.fromCharCode(97 + (n % 26));
  return out;
}

test('a source that logs varied text is held to its budget a minute, then told how many lines were suppressed', () => {
  const s = sink();
  let now = 1_000;
  const log = createLogger(s.sink, () => now);
  for (let i = 0; i < 10_000; i++) log.warn(`[api] could not decode message: unexpected token ${letters(i)}`);
  log.warn('[quiet] one warning');
  const api = s.lines.filter((l) => l.includes('[api]'));
  assert.equal(api.filter((l) => l.includes('unexpected token')).length, SOURCE_LINES_PER_MINUTE);
  assert.equal(api.filter((l) => l.includes('suppressed for up to a minute')).length, 1, 'says once that it suppresses');
  assert.ok(s.lines.at(-1)?.endsWith('[quiet] one warning'), 'another source still logs');
  now += 61_000;
  log.info('later');
  assert.ok(s.lines.some((l) => l === `warn [api] ${10_000 - SOURCE_LINES_PER_MINUTE} log lines suppressed (more than ${SOURCE_LINES_PER_MINUTE} in a minute)`), s.lines.slice(-3).join('\n'));
  log.warn('[api] could not decode message: unexpected token again');
  assert.ok(s.lines.at(-1)?.endsWith('unexpected token again'), 'a new minute, a new budget');
});

test('all sources together are held to the total budget', () => {
  const s = sink();
  let now = 1_000;
  const log = createLogger(s.sink, () => now);
  const sources = Math.ceil((2 * TOTAL_LINES_PER_MINUTE) / SOURCE_LINES_PER_MINUTE);
  for (let i = 0; i < 100; i++) for (let k = 0; k < sources; k++) log.info(`[s${letters(k)}] line ${letters(i)}`);
  assert.equal(s.lines.filter((l) => l.includes(' line ')).length, TOTAL_LINES_PER_MINUTE);
  assert.equal(s.lines.filter((l) => l.includes('further lines are suppressed')).length, 1);
  now += 61_000;
  log.info('later');
  assert.ok(s.lines.some((l) => /^warn \d+ log lines suppressed \(more than 300 in a minute\)$/.test(l)), s.lines.slice(-5).join('\n'));
});
