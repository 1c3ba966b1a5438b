// Icons from VS Code's own codicon font (@vscode/codicons, bundled into webview.css by styles.css).
import { el } from './dom';

// The panel's icon vocabulary, mapped to codicon ids so call sites name what an icon means, not its glyph.
const CODICONS = {
  open: 'circle-filled',
  connecting: 'loading',
  reconnecting: 'sync',
  closed: 'circle-slash',
  failed: 'error',
  idle: 'circle-outline',
  info: 'info',
  warning: 'warning',
  critical: 'error',
  refresh: 'refresh',
  pin: 'pin',
  pinned: 'pinned',
  'task-start': 'play',
  'debug-end': 'debug-stop',
  close: 'close',
  save: 'save',
  plug: 'plug',
  'git-branch': 'git-branch',
  'git-commit': 'git-commit',
  'task-end': 'check',
  debug: 'debug',
  'go-to-code': 'go-to-file',
} as const;

export type IconName = keyof typeof CODICONS;

/** Spinning states animate, as VS Code's own progress icons do (styles.css stops it under reduced motion). */
const SPIN: ReadonlySet<IconName> = new Set<IconName>(['connecting', 'reconnecting']);

/** A decorative codicon: hidden from assistive technology, so its control or row must carry the words. */
export function icon(name: IconName, cls = ''): HTMLElement {
  const spin = SPIN.has(name) ? ' codicon-modifier-spin' : '';
  return el('span', { class: `icon codicon codicon-${CODICONS[name]}${spin} icon-${name} ${cls}`.trim(), 'aria-hidden': 'true' });
}
