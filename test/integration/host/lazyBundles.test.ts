// Activation loads dist/extension.js alone (issue 19, item 7): the bundles split off (LAZY_ENTRIES)
// load when first needed — the JSON decoders with the first JSON message, the history formats with
// saved history or the first save, the flows with a command. Real bundle, fake VS Code.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import { startLoopbackWs } from '../../helpers/loopbackWs';
import { tempFolder } from '../../helpers/tempFolder';
import { LAZY_ENTRIES } from '../../../scripts/bundleOptions.mjs';

const BUNDLE = join(repoRoot, 'dist', 'extension.js');

/** The lazy bundles of dist/ that are loaded in this process now. */
function loadedLazy(): string[] {
  const dist = dirname(BUNDLE);
  const lazy = new Set(Object.keys(LAZY_ENTRIES).map((name) => `${name}.js`));
  return Object.keys(require.cache)
    .filter((key) => dirname(key) === dist && lazy.has(basename(key)))
    .map((key) => basename(key, '.js'))
    .sort();
}

describe('lazy bundles (real bundle, fake VS Code)', () => {
  const dir = tempFolder('pulse-lazy-');
  before(() => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
  });

  test('activation and start with no source and no saved history load no lazy bundle; a JSON source loads the decoders and the transport only', async () => {
    const storageDir = join(dir, 'storage');
    await mkdir(storageDir, { recursive: true });
    const fake = new FakeVscode({ user: { 'pulse.sources': [] } });
    const context = makeContext({ storageDir });
    const extension = loadExtension(BUNDLE, fake);
    extension.activate(context);
    try {
      await waitFor('activation logged', () => fake.log.find(/Pulse activated/).length > 0);
      // start() (restore, connections, the detection offer) settles in a few turns of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(loadedLazy(), [], 'nothing beyond extension.js at activation');

      const server = await startLoopbackWs('/', (ws) => ws.send(JSON.stringify({ type: 'metrics', timestamp: Date.now(), memory: { heapUsed: 1, heapTotal: 2, rss: 3 } })));
      try {
        fake.setConfig('user', 'pulse.sources', [{ name: 'dev', url: server.url, kind: 'ws', format: 'auto' }]);
        await waitFor('the first message decoded', () => loadedLazy().includes('json'), 10_000);
        assert.deepEqual(loadedLazy(), ['json', 'ws'], 'the ws transport and the JSON decoders, nothing else');
      } finally {
        await server.close();
      }
    } finally {
      await extension.deactivate();
      disposeContext(context);
    }
  });
});
