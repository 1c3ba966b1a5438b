// Child of activation.ts, bundled to plain JS so no loader runs: times require + activate() of the
// extension bundle (fake vscode, no sources), or require of a bundle of `ws` alone.
//   node activation-child.js pulse|ws <bundle> <storageDir>

import { createRequire } from 'node:module';
import { disposeContext, FakeVscode, loadExtension, makeContext } from '../test/helpers/fakeVscode';

async function main(): Promise<void> {
  const [mode, bundle, storageDir] = process.argv.slice(2);
  if (!bundle || !storageDir) throw new Error('usage: pulse|ws <bundle> <storageDir>');
  if (mode === 'ws') {
    const load = createRequire(bundle);
    const start = performance.now();
    const ws = load(bundle) as Record<string, unknown>;
    const ms = performance.now() - start;
    process.stdout.write(`${JSON.stringify({ ms, exports: Object.keys(ws).length })}\n`);
    return;
  }
  const fake = new FakeVscode({ user: { 'pulse.sources': [] } });
  const context = makeContext({ storageDir });
  const start = performance.now();
  const extension = loadExtension(bundle, fake);
  extension.activate(context);
  const ms = performance.now() - start;
  await extension.deactivate();
  disposeContext(context);
  process.stdout.write(`${JSON.stringify({ ms, commands: fake.commands.size })}\n`);
  process.exit(0);
}

void main();
