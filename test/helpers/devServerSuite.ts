// One reference dev server per describe block: started before its tests, stopped after them.
import { after, before } from 'node:test';
import { startDevServer } from './devserver';
import type { DevServer } from './devserver';

/**
 * Call inside `describe`: starts a dev server with `args` before its tests; after them runs `cleanup` (what the
 * tests opened against it), then stops it. Returns the running server (only once the tests have begun).
 */
export function devServerPerSuite(args: readonly string[], cleanup?: () => unknown): () => DevServer {
  let server: DevServer | undefined;
  before(async () => {
    server = await startDevServer({ args });
  });
  after(async () => {
    await cleanup?.();
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the dev server is not started (call devServerPerSuite inside describe)');
    return server;
  };
}
