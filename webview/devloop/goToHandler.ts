// The "Go to handler" button of endpoint rows and endpoint alerts: asks the host to open the code that registers the route.
import type { VsCodeApi } from '../ui/vscodeApi';
import type { HandlerTarget } from './handlerTarget';
import { goToHandlerMessage, targetText } from './handlerTarget';
import { el } from '../ui/dom';
import { icon } from '../ui/icons';
import { l10n } from '../ui/l10n';

export function goToHandlerButton(api: VsCodeApi, target: HandlerTarget, look: 'icon' | 'text'): HTMLButtonElement {
  const label = l10n.t('Go to handler for {0}', targetText(target));
  const b = look === 'icon'
    ? el('button', { type: 'button', class: 'btn icon-btn go-to-handler', 'data-action': 'go-to-handler', 'aria-label': label, title: label }, icon('go-to-code'))
    : el('button', { type: 'button', class: 'btn secondary small go-to-handler', 'data-action': 'go-to-handler', 'aria-label': label, title: label }, icon('go-to-code'), l10n.t('Go to handler'));
  b.addEventListener('click', () => api.post(goToHandlerMessage(target)));
  return b;
}
