import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, redact } from '../../../src/host/log';

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
