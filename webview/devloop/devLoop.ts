// The "Dev loop" section: recent annotations, "Compare since last save", and the before/after table of the
// latest comparison asked for (replies to older requests are ignored).
import type { HostMessage } from '../../src/shared/protocol';
import type { AnnotationView } from '../../src/shared/views';
import type { PanelState } from '../state';
import type { VsCodeApi } from '../ui/vscodeApi';
import { clean, cleanAnnotation } from '../guards';
import { el } from '../ui/dom';
import { icon } from '../ui/icons';
import { createAnnotationList } from './annotationList';
import { createCompareTable } from './compareTable';
import { safeText } from '../ui/text';
import { l10n } from '../ui/l10n';

type CompareReply = Extract<HostMessage, { type: 'didCompare' }>;

export interface DevLoop {
  readonly root: HTMLElement;
  /** For the section header. */
  readonly actions: HTMLElement;
  /** Returns how many annotations there are. */
  render(state: PanelState, localNow: number): number;
  /** Takes a didCompare reply; returns whether it answered the latest request. */
  receiveCompare(msg: CompareReply, localNow: number): boolean;
}

export function createDevLoop(api: VsCodeApi, onHighlight: (id: string | null) => void): DevLoop {
  let lastRequest = 0;
  let clockOffset = 0;

  const table = createCompareTable();
  function compare(annotationId: string, what: string): void {
    lastRequest++;
    api.post({ type: 'compare', requestId: lastRequest, annotationId });
    table.pending(what);
  }

  const list = createAnnotationList((a: AnnotationView) => compare(a.id, l10n.t('“{0}”', safeText(a.label, 80))), onHighlight);
  const lastSave = el('button', { type: 'button', class: 'btn secondary small', 'data-action': 'compare-last-save', title: l10n.t('Compare the key metrics before and after your last save') },
    icon('save'), l10n.t('Compare since last save'));
  lastSave.addEventListener('click', () => compare('lastSave', l10n.t('the last save')));
  const actions = el('div', { class: 'dev-loop-actions' }, lastSave);
  const root = el('div', { class: 'dev-loop' }, table.root, list.root);

  return {
    root,
    actions,
    render(state, localNow) {
      clockOffset = state.clockOffset;
      const hostNow = localNow + clockOffset;
      table.tick(hostNow);
      list.render(state.annotations, hostNow);
      return state.annotations.length;
    },
    receiveCompare(msg, localNow) {
      if (lastRequest === 0 || msg.requestId !== lastRequest) return false;
      table.show(cleanAnnotation(msg.annotation), clean.compareRows(msg.rows), localNow + clockOffset);
      return true;
    },
  };
}
