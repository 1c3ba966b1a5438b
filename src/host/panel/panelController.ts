// Receives what the panel's webview posts: validates it against the request table, then runs its
// handler from the one map (src/host/panel/handlers.ts). No VS Code import: the panel passes in `post`
// and the handlers, so this is tested in plain Node with a fake panel.

import type { Logger } from '../../core/model';
import type { HostMessage } from '../../shared/protocol';
import type { RequestType, WebviewMessage } from '../../shared/requests';
import type { RequestHandlers } from './handlers';
import { parseWebviewMessage } from '../../shared/requests';

export class PanelController {
  private ready = false;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly handlers: RequestHandlers,
    private readonly log: Logger,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** The webview was hidden (and so destroyed): nothing is posted until it says `ready` again. */
  markNotReady(): void {
    this.ready = false;
  }

  /** Called with whatever the webview posted. Returns false when the message was refused. */
  receive(raw: unknown): boolean {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`Refused a message from the panel that is not part of Pulse's protocol: ${describe(raw)}`);
      return false;
    }
    if (message.type === 'ready') this.ready = true;
    return this.run(message);
  }

  private run<K extends RequestType>(message: WebviewMessage<K>): boolean {
    const type = message.type as K;
    let refused = false;
    this.handlers[type](message, {
      reply: (m) => this.post(m),
      refuse: (why) => {
        refused = true;
        if (why !== undefined) this.log.warn(`Refused "${type}" from the panel: ${why}`);
      },
    });
    return !refused;
  }
}

function describe(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = Object.prototype.toString.call(raw);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
