// Small inline SVG icons (built with createElementNS; no icon font needed).
import { svg } from './dom';

type FilledIcon = 'open' | 'connecting' | 'reconnecting' | 'closed' | 'failed' | 'idle' | 'info' | 'warning' | 'critical' | 'refresh' | 'pin' | 'pinned' | 'task-start' | 'debug-end' | 'close';
type OutlinedIcon = 'save' | 'plug' | 'git-branch' | 'git-commit' | 'task-end' | 'debug' | 'go-to-code';
export type IconName = FilledIcon | OutlinedIcon;

const PATHS: Record<FilledIcon, readonly string[]> = {
  open: ['M8 3a5 5 0 1 0 0 10A5 5 0 0 0 8 3z'],
  connecting: ['M8 2.5a5.5 5.5 0 1 0 5.5 5.5h-1.5A4 4 0 1 1 8 4z'],
  reconnecting: ['M13 3v3.5H9.5l1.4-1.4A4 4 0 1 0 12 8h1.5A5.5 5.5 0 1 1 12 4z'],
  closed: ['M8 3a5 5 0 1 0 0 10A5 5 0 0 0 8 3zm0 1.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7z'],
  idle: ['M8 3a5 5 0 1 0 0 10A5 5 0 0 0 8 3zm0 1.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7z'],
  failed: ['M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zm2.6 3.3l1.1 1.1L9.1 9l2.6 2.6-1.1 1.1L8 10.1l-2.6 2.6-1.1-1.1L6.9 9 4.3 6.4l1.1-1.1L8 7.9z'],
  info: ['M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zm-.75 3h1.5v1.5h-1.5zm0 2.5h1.5V11h-1.5z'],
  warning: ['M8 1.5L15 14H1zM7.25 6v4h1.5V6zm0 5v1.5h1.5V11z'],
  critical: ['M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM7.25 4.5h1.5v5h-1.5zm0 6h1.5V12h-1.5z'],
  refresh: ['M13 3v3.5H9.5l1.4-1.4A4 4 0 1 0 12 8h1.5A5.5 5.5 0 1 1 12 4z'],
  pin: ['M9.5 1.5l5 5-1 1-1-.5-2.5 2.5.5 3-1 1L6.7 10.7 3 14.4l-1.1-.1L2 13l3.6-3.7L2.8 6.5l1-1 3 .5L9.3 3.5 8.8 2.5z'],
  pinned: ['M9.5 1.5l5 5-1 1-1-.5-2.5 2.5.5 3-1 1L6.7 10.7 3 14.4l-1.1-.1L2 13l3.6-3.7L2.8 6.5l1-1 3 .5L9.3 3.5 8.8 2.5z'],
  'task-start': ['M5 3.2v9.6L12.6 8z'],
  'debug-end': ['M4 4h8v8H4z'],
  close: ['M8 7.1l3.6-3.6.9.9L8.9 8l3.6 3.6-.9.9L8 8.9l-3.6 3.6-.9-.9L7.1 8 3.5 4.4l.9-.9z'],
};

// Drawn with a 1.3px stroke: line icons in the style of VS Code's codicons.
const STROKES: Record<OutlinedIcon, readonly string[]> = {
  save: ['M2.5 2.5h8.5l2.5 2.5v8.5h-11z', 'M5 2.5V6h5V2.5', 'M4.75 13.5V9.5h6.5v4'],
  plug: ['M6 1.5v3.5', 'M10 1.5v3.5', 'M4 5h8v2.5a4 4 0 0 1-8 0z', 'M8 11.5v3'],
  'git-branch': ['M5 4.5v7', 'M11 6c0 3-6 2.5-6 5.5', 'M6.5 3a1.5 1.5 0 1 1-3 0 1.5 1.5 0 1 1 3 0', 'M12.5 4.5a1.5 1.5 0 1 1-3 0 1.5 1.5 0 1 1 3 0', 'M6.5 13a1.5 1.5 0 1 1-3 0 1.5 1.5 0 1 1 3 0'],
  'git-commit': ['M1 8h4.5', 'M10.5 8H15', 'M10.5 8a2.5 2.5 0 1 1-5 0 2.5 2.5 0 1 1 5 0'],
  'task-end': ['M3 8.5l3.2 3.2L13 4.8'],
  debug: ['M8 5.5c-1.9 0-3 1.6-3 3.7S6.1 13 8 13s3-1.7 3-3.8-1.1-3.7-3-3.7z', 'M5 8.5H2.5', 'M11 8.5h2.5', 'M5.3 11.5l-2 1.5', 'M10.7 11.5l2 1.5', 'M6.3 5l-1-2', 'M9.7 5l1-2', 'M8 6v7'],
  'go-to-code': ['M9.5 1.5h-6v13h9V4.5z', 'M9.5 1.5v3h3', 'M5.5 10h5', 'M8.5 8l2 2-2 2'],
};

function isFilled(name: IconName): name is FilledIcon {
  return Object.prototype.hasOwnProperty.call(PATHS, name);
}

export function icon(name: IconName, cls = ''): SVGSVGElement {
  const paths = isFilled(name)
    ? PATHS[name].map((d) => svg('path', { d, 'fill-rule': 'evenodd', fill: 'currentColor' }))
    : STROKES[name].map((d) => svg('path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': '1.3', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
  return svg('svg', { class: `icon icon-${name} ${cls}`.trim(), viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false' }, ...paths);
}
