// Host text in VS Code's display language. `l10n.t` translates one of our constant messages (`{0}`, `{1}` for
// values the caller has escaped with plainText) and returns safe text. `npm run l10n` finds
// these calls (host, core and webview) and writes l10n/bundle.l10n.json.
import * as vscode from 'vscode';
import { translator } from '../core/views/safeText';

export const l10n = translator((message, ...args) => vscode.l10n.t(message, ...args));
