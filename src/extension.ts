import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Pulse', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('pulse.showLog', () => log.show()));
  log.info('Pulse activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
