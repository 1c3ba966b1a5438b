// A fresh one-file bundle of src/extension.ts for host tests that load it into the fake VS Code (lazy parts inlined).
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './fakeVscode';

export async function bundleExtension(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(repoRoot, 'src', 'extension.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'bufferutil', 'utf-8-validate'],
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
    logLevel: 'silent',
  });
}
