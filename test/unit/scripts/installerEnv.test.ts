// Issue 14: the code-server installer must not inherit the outer npm's description of itself (its
// postinstall reads the Node major from npm_config_user_agent), and an install failure reads as one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const envModule = pathToFileURL(join(__dirname, '..', '..', '..', 'scripts', 'vscode-env.mjs')).href;

describe('code-server installer environment (issue 14)', () => {
  it('under `npm run`, the environment handed to the nested install names no outer npm', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-npm-env-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', private: true, scripts: { probe: 'node probe.mjs' } }));
      writeFileSync(
        join(dir, 'probe.mjs'),
        `import { withoutOuterNpm } from ${JSON.stringify(envModule)};\n` +
          `const inner = withoutOuterNpm();\n` +
          `console.log(JSON.stringify({ outer: process.env.npm_config_user_agent ?? null, leaked: Object.keys(inner).filter((k) => /^npm_/i.test(k)), path: typeof inner.PATH }));\n`,
      );
      const r = spawnSync('npm', ['run', '--silent', 'probe'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { outer: string | null; leaked: string[]; path: string };
      assert.match(out.outer ?? '', /node\/v\d+/, 'npm exported its user agent to the script (the variable the postinstall reads)');
      assert.deepEqual(out.leaked, []);
      assert.equal(out.path, 'string', 'everything else is kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an install failure is summed up by the log line that names the cause', async () => {
    const { tellingLine } = (await import(envModule)) as { tellingLine(file: string): string };
    const dir = mkdtempSync(join(tmpdir(), 'pulse-install-log-'));
    try {
      const log = join(dir, 'install.log');
      writeFileSync(log, ['$ npm install code-server@4.139.1', '> code-server@4.139.1 postinstall', 'ERROR: code-server currently requires node v24.', 'We have detected that you are on node v20', 'npm error code 1'].join('\n'));
      assert.equal(tellingLine(log), 'ERROR: code-server currently requires node v24.');
      writeFileSync(log, 'gyp info spawn make\n../src/kerberos.h:5:10: fatal error: gssapi/gssapi.h: No such file or directory\n');
      assert.match(tellingLine(log), /gssapi\.h: No such file/);
      assert.equal(tellingLine(join(dir, 'missing.log')), '(no log)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
