// Moving pinned charts from the keyboard: Alt+Arrow (←/↑ earlier, →/↓ later) on anything inside a chart
// card moves that chart. Listens on the charts' root, so the cards themselves need nothing.

const STEP: Readonly<Record<string, number>> = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };

export function watchPinOrder(root: HTMLElement, move: (id: string, by: number) => void): void {
  root.addEventListener('keydown', (e) => {
    const by = STEP[e.key];
    if (by === undefined || !e.altKey || e.ctrlKey || e.metaKey || !(e.target instanceof Element)) return;
    // Alt+Arrow belongs to a form field (the overlay picker's filter and list open or move with it).
    if (e.target.closest('input, select, textarea')) return;
    const id = e.target.closest('.chart[data-series-id]')?.getAttribute('data-series-id');
    if (!id) return;
    e.preventDefault();
    move(id, by);
    // The card moved in the DOM; keep the focus where it was so repeated presses keep moving it.
    const target = e.target;
    if (target instanceof HTMLElement) requestAnimationFrame(() => requestAnimationFrame(() => target.focus()));
  });
}
