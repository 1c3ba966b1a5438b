// A WebSocket server on 127.0.0.1 (a free port) for tests: its URL, and a close that drops every client first.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export interface LoopbackWs {
  /** `ws://127.0.0.1:<port><path>` */
  readonly url: string;
  readonly wss: WebSocketServer;
  /** Runs the `onClose` given at start (e.g. stops the server's timers), terminates every client, closes the server. */
  close(): Promise<void>;
}

/** Listens on a free loopback port and runs `onConnection` for each client. */
export async function startLoopbackWs(path: string, onConnection: (socket: WebSocket) => void, onClose?: () => void): Promise<LoopbackWs> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', onConnection);
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}${path}`,
    wss,
    close: () =>
      new Promise<void>((resolve) => {
        onClose?.();
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
