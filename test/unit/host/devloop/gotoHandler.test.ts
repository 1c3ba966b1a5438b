import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { goToHandler } from '../../../../src/host/devloop/gotoHandler';
import type { GoToHandlerApi, PickItem } from '../../../../src/host/devloop/gotoHandler';
import { uri } from './fakes';
import type { FakeUri } from './fakes';

type Fits<Port, Api extends Port> = Api;
export type _RealApiFits = Fits<GoToHandlerApi<vscode.Uri, vscode.Range>, typeof vscode>;

interface FakeRange {
  readonly line: number;
  readonly character: number;
}

/** `null` content: the file is listed by findFiles but gone when read. */
function fakeWorkspace(files: Record<string, string | null>, pick: (items: readonly PickItem[]) => number | undefined = () => 0) {
  const calls = { opened: [] as { path: string; selection: FakeRange | undefined }[], picks: [] as string[][], messages: [] as string[], globs: [] as string[] };
  const encoder = new TextEncoder();
  const api: GoToHandlerApi<FakeUri, FakeRange> = {
    workspace: {
      findFiles: (include, exclude) => {
        calls.globs.push(include, exclude ?? '');
        return Promise.resolve(Object.keys(files).map((p) => uri(p)));
      },
      fs: {
        readFile: (u) => {
          const text = Object.entries(files).find(([p]) => p === u.path)?.[1];
          return text == null ? Promise.reject(new Error('ENOENT')) : Promise.resolve(encoder.encode(text));
        },
      },
      asRelativePath: (u) => u.path,
    },
    window: {
      showTextDocument: (u, options) => {
        const selection = options?.selection;
        calls.opened.push({ path: u.path, selection: selection && { line: selection.line, character: selection.character } });
        return Promise.resolve(undefined);
      },
      showQuickPick: (items) => {
        calls.picks.push(items.map((i) => i.label));
        const index = pick(items);
        return Promise.resolve(index === undefined ? undefined : items[index]);
      },
      showInformationMessage: (message) => {
        calls.messages.push(message);
        return Promise.resolve(undefined);
      },
    },
    Range: class {
      readonly line: number;
      readonly character: number;
      constructor(line: number, character: number) {
        this.line = line;
        this.character = character;
      }
    },
  };
  return { api, calls };
}

const demo = (file: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/demo-workspace', file), 'utf8');

describe('goToHandler', () => {
  it('opens the best match at its line', async () => {
    const { api, calls } = fakeWorkspace({ 'server.ts': demo('server.ts'), 'routes/bun.ts': demo('routes/bun.ts'), 'README.ts': '// GET /api/search' });
    assert.equal(await goToHandler(api, { method: 'get', path: '/api/search?q=x' }), 'opened');
    assert.deepEqual(calls.picks, []);
    assert.deepEqual(calls.opened, [{ path: 'server.ts', selection: { line: 39, character: 8 } }]);
    assert.match(calls.globs[0] ?? '', /\{ts,js,mjs,cjs,tsx,jsx,go,py\}/);
    assert.match(calls.globs[1] ?? '', /node_modules/);
  });

  it('offers a pick list when several match closely, and opens the one picked', async () => {
    const { api, calls } = fakeWorkspace({ 'server.ts': demo('server.ts'), 'go/main.go': demo('go/main.go'), 'gone.ts': null }, (items) =>
      items.findIndex((i) => i.label.startsWith('go/')),
    );
    assert.equal(await goToHandler(api, { method: 'GET', path: '/api/orders' }), 'opened');
    assert.equal(calls.picks.length, 1);
    assert.deepEqual([...(calls.picks[0] ?? [])].sort(), ['go/main.go:19', 'server.ts:36']);
    assert.deepEqual(calls.opened, [{ path: 'go/main.go', selection: { line: 18, character: 17 } }]);
  });

  it('opens nothing when the pick list is dismissed', async () => {
    const { api, calls } = fakeWorkspace({ 'a.ts': "app.get('/x', a);", 'b.ts': "app.get('/x', b);" }, () => undefined);
    assert.equal(await goToHandler(api, { method: 'GET', path: '/x' }), 'cancelled');
    assert.deepEqual(calls.opened, []);
  });

  it('says so when no handler is found', async () => {
    const { api, calls } = fakeWorkspace({ 'server.ts': demo('server.ts') });
    assert.equal(await goToHandler(api, { method: 'GET', path: '/api/nothing' }), 'none');
    assert.deepEqual(calls.messages, ['No handler found for GET /api/nothing.']);
    assert.deepEqual(calls.opened, []);
  });
});
