import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discoverPorts, MAX_WORKSPACE_PORTS, portsInCommand } from '../../../../src/core/detect/candidates';
import { COMMON_PORTS } from '../../../../src/core/detect/paths';

const pkg = (o: unknown) => ({ path: 'package.json', text: JSON.stringify(o) });

describe('discoverPorts', () => {
  it('a script with an explicit port wins over framework defaults, and comes before the common ports', () => {
    const out = discoverPorts([pkg({ dependencies: { next: '15' }, scripts: { dev: 'next dev -p 4100', start: 'next start' } })]);
    assert.deepEqual(out[0], { port: 4100, reasons: ['package.json: script "dev"'], fromWorkspace: true });
    assert.ok(!out.some((c) => c.fromWorkspace && c.port === 3000), 'no default-port guess once a script names the port');
    assert.deepEqual(out.filter((c) => !c.fromWorkspace).map((c) => c.port), [...COMMON_PORTS]);
  });

  it('framework dependencies give their default ports; bun scripts count as bun', () => {
    const out = discoverPorts([pkg({ devDependencies: { vite: '6' }, scripts: { dev: 'bun run --hot src/server.ts' } })]);
    const ws = out.filter((c) => c.fromWorkspace);
    assert.deepEqual(ws.map((c) => c.port).sort(), [3000, 5173]);
    assert.ok(ws.find((c) => c.port === 5173)?.reasons[0]?.includes('vite'));
    assert.ok(ws.find((c) => c.port === 3000)?.reasons[0]?.includes('bun'));
  });

  it('.env PORT lines, launch.json env (JSONC) and go.mod with client_golang', () => {
    const out = discoverPorts([
      { path: '.env', text: '# comment\nPORT=4321\nMETRICS_PORT="9464"\nNOT_A_PORT=12\nHOST=localhost\n' },
      { path: '.vscode/launch.json', text: '{\n // dev\n "configurations": [{ "env": { "PORT": "7001", }, "args": ["--port", "7002"] },],\n}' },
      { path: 'svc/go.mod', text: 'module x\n\nrequire (\n\tgithub.com/prometheus/client_golang v1.19.0\n)\n' },
    ]);
    const ws = new Map(out.filter((c) => c.fromWorkspace).map((c) => [c.port, c.reasons]));
    assert.deepEqual([...ws.keys()], [4321, 9464, 7001, 7002, 2112, 8080]);
    assert.deepEqual(ws.get(9464), ['.env: METRICS_PORT']);
    assert.ok(ws.get(2112)?.[0]?.includes('client_golang'));
    assert.ok(!out.some((c) => c.port === 12));
    assert.equal(out.filter((c) => c.port === 8080).length, 1, 'a common port named by the workspace is listed once');
  });

  it('broken or hostile files give nothing, and the workspace list is bounded', () => {
    assert.deepEqual(discoverPorts([{ path: 'package.json', text: '{not json' }, { path: 'go.mod', text: 'module x' }], []), []);
    const many = { path: '.env', text: Array.from({ length: 100 }, (_, i) => `P${i}_PORT=${10000 + i}`).join('\n') };
    assert.equal(discoverPorts([many], []).length, MAX_WORKSPACE_PORTS);
    assert.deepEqual(discoverPorts([{ path: '.env', text: 'PORT=99999\nPORT=0' }], []), []);
  });
});

describe('portsInCommand', () => {
  it('reads --port, --port=, -p and PORT=', () => {
    assert.deepEqual(portsInCommand('PORT=3001 node server.js'), [3001]);
    assert.deepEqual(portsInCommand('vite --port=5174'), [5174]);
    assert.deepEqual(portsInCommand('next dev -p 3005'), [3005]);
    assert.deepEqual(portsInCommand('fastify start --port 8081 -l info'), [8081]);
    assert.deepEqual(portsInCommand('tsc -p tsconfig.json'), []);
  });
});
