// A row of toggle buttons where one is pressed (aria-pressed), e.g. the chart window or Rate/Raw.
import { el } from './dom';

export interface Segmented<T extends string> {
  readonly root: HTMLElement;
  set(value: T): void;
}

export function createSegmented<T extends string>(
  label: string,
  options: readonly { readonly value: T; readonly text: string; readonly title?: string }[],
  dataAttr: string,
  value: T,
  onPick: (value: T) => void,
): Segmented<T> {
  const buttons = options.map((o) => {
    const b = el('button', { type: 'button', class: 'segment', [`data-${dataAttr}`]: o.value, 'aria-pressed': String(o.value === value), title: o.title ?? null }, o.text);
    b.addEventListener('click', () => {
      set(o.value);
      onPick(o.value);
    });
    return b;
  });
  const root = el('div', { class: 'segmented', role: 'group', 'aria-label': label }, ...buttons);
  function set(v: T): void {
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(options[i]?.value === v)));
  }
  return { root, set };
}
