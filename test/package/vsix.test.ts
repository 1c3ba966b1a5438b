// Packages the extension and checks what the .vsix holds: only the bundles, media/, docs and manifest.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { placeholderKeys } from '../helpers/manifest';
import { LAZY_ENTRIES } from '../../scripts/bundleOptions.mjs';

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
    const bundles = ['extension', 'webview', ...Object.keys(LAZY_ENTRIES)].map((b) => `dist/${b}.js`);
    const allowed = /^(package\.json|package\.nls\.json|l10n\/bundle\.l10n\.json|readme\.md|changelog\.md|LICENSE\.txt|LICENSE|dist\/webview\.css|dist\/codicon\.ttf|media\/[\w.-]+|media\/walkthrough\/[\w.-]+\.md)$/i;
    for (const n of names) assert.ok(bundles.includes(n) || allowed.test(n), `unexpected file in .vsix: ${n}`);
    // Every bundle, the lazily loaded ones too (esbuild.mjs): a missing one fails only when first needed.
    for (const must of ['package.json', 'package.nls.json', 'l10n/bundle.l10n.json', ...bundles, 'dist/webview.css', 'dist/codicon.ttf', 'media/icon.png']) {
      assert.ok(names.includes(must), `missing ${must}; has ${names.join(', ')}`);
    }
    assert.ok(!names.some((n) => n.includes('node_modules') || n.endsWith('.ts') || n.endsWith('.map')));
  });

  it('packs the English strings of every %key% in the manifest', () => {
    const entries = zipEntries(vsix);
    const pkg = JSON.parse(entries.get('extension/package.json')?.toString('utf8') ?? '{}') as unknown;
    const nls = JSON.parse(entries.get('extension/package.nls.json')?.toString('utf8') ?? '{}') as Record<string, string>;
    const keys = placeholderKeys(pkg);
    assert.ok(keys.length >= 50, `placeholders in the packed manifest: ${keys.length}`);
    assert.deepEqual(keys.filter((k) => typeof nls[k] !== 'string'), [], 'placeholders without text');
  });

  it('is minified and stays under 1 MiB', () => {
    assert.ok(statSync(vsix).size < 1024 * 1024, `vsix is ${statSync(vsix).size} bytes`);
    const host = zipEntries(vsix).get('extension/dist/extension.js');
    assert.ok(host, 'host bundle present');
    assert.ok(!host.toString('utf8').includes('sourceMappingURL'), 'production bundle has no source map');
  });
});
