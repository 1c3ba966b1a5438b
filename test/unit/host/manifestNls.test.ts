// The manifest's user-facing text lives in package.nls.json: every %key% has its text, every text is used,
// and no title, description or welcome text is left as a literal in package.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoRoot } from '../../helpers/fakeVscode';
import { NLS_PLACEHOLDER, placeholderKeys, readJson, readManifest, resolvePlaceholders } from '../../helpers/manifest';

const pkg = readJson(repoRoot, 'package.json');
const nls = readJson(repoRoot, 'package.nls.json') as Record<string, unknown>;

/** Names the brand, not a phrase: the same in every language. */
const BRAND = 'Pulse';

/** The strings VS Code shows from the manifest, with where they are. */
function shownStrings(node: unknown, path: string, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) {
    node.forEach((v, i) => shownStrings(v, `${path}[${i}]`, out));
    return out;
  }
  if (typeof node !== 'object' || node === null) return out;
  for (const [k, v] of Object.entries(node)) {
    const here = `${path}.${k}`;
    const shown = ['title', 'name', 'contents', 'description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage', 'contextualTitle', 'displayName'].includes(k);
    if (shown && typeof v === 'string') out.push([here, v]);
    else if ((k === 'enumDescriptions' || k === 'markdownEnumDescriptions') && Array.isArray(v)) v.forEach((d: unknown, i) => out.push([`${here}[${i}]`, d]));
    else shownStrings(v, here, out);
  }
  return out;
}

test('every %key% in package.json has a text in package.nls.json, and every text is used', () => {
  const used = placeholderKeys(pkg);
  assert.ok(used.length >= 50, `placeholders: ${used.length}`);
  assert.deepEqual(used.filter((k) => !(k in nls)), [], 'keys missing from package.nls.json');
  const unused = Object.keys(nls).filter((k) => !used.includes(k));
  assert.deepEqual(unused, [], 'keys in package.nls.json that package.json does not use');
  for (const [k, v] of Object.entries(nls)) assert.ok(typeof v === 'string' && v.trim() !== '' && !NLS_PLACEHOLDER.test(v), `${k}: a non-empty text`);
});

test('no shown manifest string is a literal (only the brand name), from the top to the settings', () => {
  const wanted = shownStrings({ displayName: (pkg as { displayName?: unknown }).displayName, description: (pkg as { description?: unknown }).description }, 'package')
    .concat(shownStrings((pkg as { capabilities?: unknown }).capabilities, 'capabilities'))
    .concat(shownStrings((pkg as { contributes?: unknown }).contributes, 'contributes'));
  assert.ok(wanted.length >= 100, `shown strings found: ${wanted.length}`);
  const literal = wanted.filter(([, v]) => typeof v !== 'string' || (!NLS_PLACEHOLDER.test(v) && v !== BRAND)).map(([p]) => p);
  assert.deepEqual(literal, [], 'put these in package.nls.json');
});

test('resolved, the manifest reads as before: titles, welcome links and setting texts in English', () => {
  const m = readManifest<{ displayName: string; contributes: { commands: { command: string; title: string }[]; viewsWelcome: { contents: string }[]; configuration: { properties: Record<string, { markdownDescription?: string }> } } }>(repoRoot);
  assert.equal(m.contributes.commands.find((c) => c.command === 'pulse.openPanel')?.title, 'Open Metrics Panel');
  assert.match(m.displayName, /^Pulse/);
  assert.ok(m.contributes.viewsWelcome.some((w) => w.contents.includes('(command:pulse.detectSources)')));
  assert.match(m.contributes.configuration.properties['pulse.limits.maxPayloadMB']?.markdownDescription ?? '', /MiB/);
  assert.throws(() => resolvePlaceholders({ title: '%no.such.key%' }, {}), /%no\.such\.key%/);
});
