// Which elements are in (or near) the viewport. Live sections use it to skip redrawing what nobody can
// see (a chart's canvas, a long table's cells) and catch up when it scrolls into view.

/** How far outside the viewport an element still counts as shown, so it is current before it scrolls in. */
const MARGIN = '100px';

export interface OnScreen {
  /** Whether the element was last seen in or near the viewport (true until the first report). */
  readonly visible: boolean;
  stop(): void;
}

/** Watches `target`; `onShown` runs each time it comes into view. */
export function watchOnScreen(target: Element, onShown: () => void): OnScreen {
  let visible = true;
  const observer = new IntersectionObserver(
    (entries) => {
      const last = entries[entries.length - 1];
      if (!last) return;
      const was = visible;
      visible = last.isIntersecting;
      if (visible && !was) onShown();
    },
    { rootMargin: MARGIN },
  );
  observer.observe(target);
  return {
    get visible() {
      return visible;
    },
    stop: () => observer.disconnect(),
  };
}
