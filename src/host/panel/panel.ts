// The metrics panel: create-or-show, revive after reload, and coalesced posting. No
// retainContextWhenHidden: while hidden nothing is posted, and a fresh snapshot goes out when the
// panel is visible again.

import * as vscode from 'vscode';
import type { HostMessage } from '../../shared/protocol';
import { PANEL_VIEW_TYPE } from '../../shared/vocabulary';
import type { Logger } from '../../core/model';
import type { PanelFeed } from '../../core/views/panelFeed';
import type { PanelHost } from './handlers';
import { PanelController } from './panelController';
import { panelHandlers } from './handlers';
import { makeNonce, renderPanelHtml } from './panelHtml';
import { l10n } from '../l10n';

/** Posts to the webview at most this often (8 a second), whatever the input rate. */
export const MIN_POST_INTERVAL_MS = 125;

export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly feed: PanelFeed;
  /** What the panel's requests act on, besides the feed and the panel itself. */
  readonly host: Omit<PanelHost, 'feed' | 'schedule'>;
  readonly log: Logger;
  /** Counts what is posted, for the traffic benchmark and the log. */
  readonly onPost?: (message: HostMessage, bytes: number) => void;
}

export class MetricsPanel implements vscode.Disposable {
  private static current: MetricsPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly controller: PanelController;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastPost = 0;
  private disposed = false;

  static get instance(): MetricsPanel | undefined {
    return MetricsPanel.current;
  }

  static createOrShow(deps: PanelDeps): MetricsPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    if (MetricsPanel.current) {
      MetricsPanel.current.panel.reveal(column);
      return MetricsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, l10n.t('Pulse Metrics'), column, MetricsPanel.options(deps.extensionUri));
    MetricsPanel.current = new MetricsPanel(panel, deps);
    return MetricsPanel.current;
  }

  /** Restores a panel VS Code kept across a reload (from the WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, deps: PanelDeps): MetricsPanel {
    MetricsPanel.current?.dispose();
    panel.webview.options = MetricsPanel.options(deps.extensionUri);
    MetricsPanel.current = new MetricsPanel(panel, deps);
    return MetricsPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
  ) {
    const webview = panel.webview;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this.controller = new PanelController((m) => this.post(m), panelHandlers({ ...deps.host, feed: deps.feed, schedule: () => this.schedule() }), deps.log);
    const nonce = makeNonce();
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.css')).toString(),
      codiconsUri: undefined,
      lang: vscode.env.language,
      l10nBundle: vscode.l10n.bundle,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.controller.receive(m)),
      panel.onDidChangeViewState(() => {
        // Hidden webviews are destroyed (no retainContextWhenHidden); the page says `ready` again when it
        // is shown, and gets a fresh snapshot then.
        if (panel.visible) this.schedule();
        else this.controller.markNotReady();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    // Ages and messages/s change without any message arriving.
    this.ticker = setInterval(() => {
      deps.feed.noteTick();
      this.schedule();
    }, 1000);
  }

  /** A change happened; post a delta soon, at most every MIN_POST_INTERVAL_MS. */
  schedule(): void {
    if (this.disposed || this.timer || !this.panel.visible || !this.controller.isReady) return;
    const wait = Math.max(0, this.lastPost + MIN_POST_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this.disposed || !this.panel.visible) return;
    const delta = this.deps.feed.delta(Date.now());
    if (delta) this.post({ type: 'didUpdate', delta });
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    this.lastPost = Date.now();
    if (this.deps.onPost) this.deps.onPost(message, JSON.stringify(message).length);
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.deps.log.debug(`postMessage failed: ${String(e)}`));
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (MetricsPanel.current === this) MetricsPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
