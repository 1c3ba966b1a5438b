// Writes l10n/bundle.l10n.json (English: each message maps to itself) from the l10n.t calls under src/ and webview/.
// `npx @vscode/l10n-dev export` only reads files that import 'vscode' or '@vscode/l10n', so it misses the webview and
// src/core (which may import neither). Run: npm run l10n
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { l10nCalls } from './l10nMessages';

const root = join(__dirname, '..');
const { messages, notLiteral } = l10nCalls(root, ['src', 'webview']);
if (notLiteral.length > 0) throw new Error(`l10n.t needs a literal message at ${notLiteral.join(', ')}`);
const bundle = Object.fromEntries(messages.map((m) => [m, m]));
writeFileSync(join(root, 'l10n', 'bundle.l10n.json'), `${JSON.stringify(bundle, null, 2)}\n`);
console.log(`l10n/bundle.l10n.json: ${messages.length} messages`);
