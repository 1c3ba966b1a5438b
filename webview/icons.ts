// Small inline SVG icons (built with createElementNS; no icon font needed).
import { svg } from './dom';

export type IconName = 'open' | 'connecting' | 'reconnecting' | 'closed' | 'failed' | 'idle' | 'info' | 'warning' | 'critical' | 'refresh' | 'pin' | 'pinned';

const PATHS: Record<IconName, readonly string[]> = {
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
};

export function icon(name: IconName, cls = ''): SVGSVGElement {
  return svg('svg', { class: `icon icon-${name} ${cls}`.trim(), viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false' },
    ...PATHS[name].map((d) => svg('path', { d, 'fill-rule': 'evenodd', fill: 'currentColor' })));
}
