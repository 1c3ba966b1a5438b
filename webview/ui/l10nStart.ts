// Loads the host's l10n bundle from the page (main.ts imports this first, before any module draws text).
import { useBundle } from './l10n';

/** The host writes vscode.l10n.bundle as JSON into `data-l10n` on #app (an attribute: the CSP allows no inline script). */
export function bundleFromPage(doc: Document): unknown {
  const raw = doc.getElementById('app')?.dataset.l10n;
  if (raw === undefined || raw.length > 2_000_000) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

useBundle(bundleFromPage(document));
