// Once per workspace, when nothing is configured and the workspace looks like it runs a dev server:
// a non-modal offer to detect sources. It never probes, connects or writes settings without a click.

import * as vscode from 'vscode';
import type { NotificationGate } from '../notifications';
import { flows } from '../lazy';
import { l10n } from '../l10n';

export const OFFERED_KEY = 'pulse.detect.offered';
export const OFFER_ID = 'detectOffer';

export interface OfferDeps {
  readonly workspaceState: vscode.Memento;
  readonly gate: NotificationGate;
  hasSources(): boolean;
  detect(): PromiseLike<unknown>;
}

/** Shows the offer when it applies; resolves once answered (or at once when not shown). True when shown. */
export async function offerDetection(deps: OfferDeps): Promise<boolean> {
  if (deps.hasSources() || deps.workspaceState.get<boolean>(OFFERED_KEY) === true || deps.gate.muted(OFFER_ID)) return false;
  if ((vscode.workspace.workspaceFolders?.length ?? 0) === 0) return false;
  // Reading the workspace's files for ports is part of the lazily loaded flows: only when the offer may apply.
  const { discoverPorts, readWorkspaceFiles } = flows();
  const hints = discoverPorts(await readWorkspaceFiles(), []);
  if (hints.length === 0 || deps.hasSources() || deps.gate.busy()) return false;
  await deps.workspaceState.update(OFFERED_KEY, true);
  const detect = l10n.t('Detect');
  const mute = l10n.t("Don't Ask Again");
  const answer = vscode.window.showInformationMessage(l10n.t('Pulse can look for your running dev server on this machine (localhost only) and list its metrics endpoints.'), detect, mute);
  deps.gate.hold(answer);
  const choice = await answer;
  if (choice === detect) await deps.detect();
  else if (choice === mute) await deps.gate.mute(OFFER_ID);
  return true;
}
