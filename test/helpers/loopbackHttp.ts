// An HTTP server on 127.0.0.1 (a free port) for tests: its origin, and a close that drops open connections first.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackHttp {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

export async function startLoopbackHttp(handler: http.RequestListener): Promise<LoopbackHttp> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
