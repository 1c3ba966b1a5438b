// Every message between the extension host and the metrics panel webview.
// Imported by both sides; it must stay free of `vscode` and of the DOM.
// Host events read `didX`; webview requests are imperatives.

import type { AnnotationView, CompareRowView, PointsView } from './views';
import type { ValueMode, WindowId } from './vocabulary';
import { WINDOW_IDS } from './vocabulary';
import { isOneOf, isRecord } from './check';
import type { PanelDelta, PanelSnapshot } from './sections';
import { isSectionId, SECTION_ROWS, SECTIONS } from './sections';

// The panel's snapshot and delta are derived from the section registry; re-exported for existing importers.

// ---------------------------------------------------------------- messages

export type HostMessage =
  | { readonly type: 'didSnapshot'; readonly snapshot: PanelSnapshot }
  | { readonly type: 'didUpdate'; readonly delta: PanelDelta }
  | { readonly type: 'didLoadHistory'; readonly requestId: number; readonly window: WindowId; readonly mode: ValueMode; readonly series: readonly PointsView[] }
  | { readonly type: 'didCompare'; readonly requestId: number; readonly annotation: AnnotationView | null; readonly rows: readonly CompareRowView[] };

/** What the webview may send is defined, and validated, in src/shared/requests.ts. */

/**
 * Validates what the host sent, on the webview side. The host is trusted code, but the check keeps a
 * malformed or stale message (e.g. from an older extension version after an update) from breaking the view.
 */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isRecord(x)) return undefined;
  switch (x.type) {
    case 'didSnapshot': {
      const s = x.snapshot;
      if (!isRecord(s) || typeof s.now !== 'number') return undefined;
      if (!SECTIONS.every((k) => SECTION_ROWS[k].isShape(s[k]))) return undefined;
      return x as unknown as HostMessage;
    }
    case 'didUpdate': {
      const d = x.delta;
      if (!isRecord(d) || typeof d.now !== 'number') return undefined;
      for (const [k, v] of Object.entries(d)) {
        if (k === 'now') continue;
        if (isSectionId(k) ? !SECTION_ROWS[k].isShape(v) : k === 'seriesTotal' ? typeof v !== 'number' : !Array.isArray(v)) return undefined;
      }
      return x as unknown as HostMessage;
    }
    case 'didLoadHistory':
      if (typeof x.requestId !== 'number' || !isOneOf(x.window, WINDOW_IDS) || !Array.isArray(x.series)) return undefined;
      return x as unknown as HostMessage;
    case 'didCompare':
      if (typeof x.requestId !== 'number' || !Array.isArray(x.rows) || (x.annotation !== null && !isRecord(x.annotation))) return undefined;
      return x as unknown as HostMessage;
    default:
      return undefined;
  }
}
