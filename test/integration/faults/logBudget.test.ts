// Issue 20 row 9: undecodable messages whose text differs in letters, not digits, slipped past the
// per-text limiter (~550k log lines a minute). Through the host pipeline and the real logger: one
// source's lines stay within its budget a minute, it says it suppresses, and a quiet source still logs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SOURCE_LINES_PER_MINUTE } from '../../../src/host/log';
import { startLoopbackWs } from '../../helpers/loopbackWs';
import type { LoopbackWs } from '../../helpers/loopbackWs';
import type { Rig } from './support';
import { makeRig, sourceConfig, until } from './support';

const FLOOD = 5_000;

function letters(i: number): string {
  let out = '';
  for (let n = i + 26 * 26; n > 0; n = Math.floor(n / 26)) out += String.fromCharCode(97 + (n % 26));
  return out;
}

/** Sends `count` undecodable messages, each different in letters, as soon as a client connects. */
function garbageServer(count: number): Promise<LoopbackWs> {
  return startLoopbackWs('/live', (socket) => {
    for (let i = 0; i < count; i++) socket.send(`nope ${letters(i)} ${letters(i * 7)} not json`);
  });
}

describe('log budget under a flood of varied undecodable messages', () => {
  let rig: Rig;
  const servers: Array<{ close(): Promise<void> }> = [];
  before(() => {
    rig = makeRig();
  });
  after(async () => {
    rig?.dispose();
    for (const s of servers) await s.close();
  });

  test('the flooding source is held to its budget; another source still logs', async () => {
    const flood = await garbageServer(FLOOD);
    const quiet = await garbageServer(3);
    servers.push(flood, quiet);
    await rig.apply([sourceConfig('flood', flood.url, 'ws', { subscribe: false })]);
    await until('every flood message decoded (and refused)', () => rig.runtime('flood').decodeErrors >= FLOOD, 20_000);
    await rig.apply([sourceConfig('flood', flood.url, 'ws', { subscribe: false }), sourceConfig('quiet', quiet.url, 'ws', { subscribe: false })]);
    await until('the quiet source refused its messages', () => rig.runtime('quiet').decodeErrors >= 3, 10_000);

    const floodLines = rig.lines.filter((l) => l.message.startsWith('[flood]'));
    const decodeLines = floodLines.filter((l) => /decode/i.test(l.message));
    assert.ok(decodeLines.length <= SOURCE_LINES_PER_MINUTE, `${decodeLines.length} decode lines from the flood (budget ${SOURCE_LINES_PER_MINUTE})`);
    assert.ok(floodLines.length <= SOURCE_LINES_PER_MINUTE + 1, `${floodLines.length} lines from the flood in all`);
    assert.ok(floodLines.some((l) => /suppressed for up to a minute/.test(l.message)), 'the log says it suppresses');
    const quietLines = rig.lines.filter((l) => l.message.startsWith('[quiet]') && /decode/i.test(l.message));
    assert.equal(quietLines.length, 3, 'the quiet source is not silenced by the flood');
  });
});
