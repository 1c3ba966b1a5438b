// One panel harness per describe block (started before its tests, closed after them) and a way to open panels on it.
import { after, before } from 'node:test';
import type { Harness, Panel } from './harness';
import { startHarness } from './harness';
import type { ThemeName } from './theme';

export interface PanelOptions {
  readonly theme?: ThemeName;
  readonly width?: number;
  readonly height?: number;
}

/** Call inside `describe`: hooks the harness's start and close on it; returns a function opening a fresh panel (ready posted). */
export function panelRig(): (opts?: PanelOptions) => Promise<Panel> {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });
  return async ({ theme = 'dark', ...size } = {}) => {
    if (!h) throw new Error('panelRig: the harness is not started (call panelRig() inside describe)');
    const p = await h.newPanel(size);
    await p.open(theme);
    return p;
  };
}
