// Packages the extension and checks what the .vsix holds: only the bundles, media/, docs and manifest.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const root = join(__dirname, '..', '..');

/** Lists a zip's entries from its central directory (no unzip binary needed). */
function zipEntries(file: string): Map<string, Buffer> {
  const buf = readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const localData = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(localData, localData + compressed);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('npm run package', () => {
  let vsix = '';
  before(() => {
    vsix = join(mkdtempSync(join(tmpdir(), 'pulse-vsix-')), 'pulse.vsix');
    execFileSync('node', ['scripts/package.mjs', vsix], { cwd: root, stdio: 'pipe' });
  });

  it('contains only the bundles, media, docs and the manifest', () => {
    const names = [...zipEntries(vsix).keys()].filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)).sort();
    const allowed = /^(package\.json|readme\.md|changelog\.md|LICENSE\.txt|LICENSE|dist\/extension\.js|dist\/otlp\.js|dist\/webview\.js|dist\/webview\.css|media\/[\w.-]+|media\/walkthrough\/[\w.-]+\.md)$/i;
    for (const n of names) assert.match(n, allowed, `unexpected file in .vsix: ${n}`);
    for (const must of ['package.json', 'dist/extension.js', 'dist/otlp.js', 'dist/webview.js', 'dist/webview.css', 'media/icon.png']) {
      assert.ok(names.includes(must), `missing ${must}; has ${names.join(', ')}`);
    }
    assert.ok(!names.some((n) => n.includes('node_modules') || n.endsWith('.ts') || n.endsWith('.map')));
  });

  it('is minified and stays under 1 MB', () => {
    assert.ok(statSync(vsix).size < 1024 * 1024, `vsix is ${statSync(vsix).size} bytes`);
    const host = zipEntries(vsix).get('extension/dist/extension.js');
    assert.ok(host, 'host bundle present');
    assert.ok(!host.toString('utf8').includes('sourceMappingURL'), 'production bundle has no source map');
  });
});
