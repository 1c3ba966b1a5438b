// npm run demo:server — the reference dev server. Prints one READY line with the port and pid.
import { listen } from './app';
import { parseArgs } from './args';

async function main(): Promise<void> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const server = await listen(options);
  let closing = false;
  const shutdown = (): void => {
    // A second signal while closing ends the process at once.
    if (closing) process.exit(1);
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Only now: a signal that arrives before its handler is installed kills the process outright.
  process.stdout.write(`PULSE_DEVSERVER_READY ${JSON.stringify({ port: server.port, pid: process.pid })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
