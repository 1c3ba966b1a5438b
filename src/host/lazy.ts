// Loads dist/flows.js (esbuild.mjs, LAZY_ENTRIES) the first time a command needs it; from source, flows.ts.
import * as vscode from 'vscode';
import type * as Flows from './flows';

let loaded: typeof Flows | undefined;

export function flows(): typeof Flows {
  if (loaded === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
    loaded = require('./flows.js') as typeof Flows;
    loaded.setFormatLocale(vscode.env.language);
  }
  return loaded;
}
