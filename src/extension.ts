import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE } from './shared/vocabulary';
import { createLogger } from './host/log';
import { PulseHost } from './host/pulseHost';
import { registerCommands } from './host/commands';
import { PulseViews } from './host/views/views';
import { setFormatLocale } from './shared/format';

let host: PulseHost | undefined;

export function activate(context: vscode.ExtensionContext): void {
  setFormatLocale(vscode.env.language);
  const channel = vscode.window.createOutputChannel('Pulse', { log: true });
  context.subscriptions.push(channel);
  const log = createLogger(channel);
  const pulse = new PulseHost(context, log);
  host = pulse;
  const views = new PulseViews(pulse);
  context.subscriptions.push(
    pulse,
    views,
    ...registerCommands(pulse, () => channel.show()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        pulse.panel().MetricsPanel.revive(panel, pulse.panelDeps());
      },
    }),
  );
  log.info(`Pulse activated (v${String(context.extension.packageJSON.version)})`);
  void pulse
    .start()
    .then(() => views.offerDetection())
    .catch((e: unknown) => log.error(`Pulse could not start: ${String(e)}`));
}

export async function deactivate(): Promise<void> {
  await host?.deactivate();
  host = undefined;
}
