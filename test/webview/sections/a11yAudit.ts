// A small axe-like audit run inside the page: names on controls, labels on images, unique ids, live references.
import type { Page } from 'playwright-core';

// Page-side JavaScript (a string: tsx's helpers must not leak into what the page runs).
const AUDIT = String.raw`(() => {
  const problems = [];
  const rendered = (el) => el.getClientRects().length > 0;
  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const byIds = (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + (el.dataset.action ? '[data-action=' + el.dataset.action + ']' : '');
  function name(el) {
    const by = el.getAttribute('aria-labelledby');
    if (by) return byIds(by).map(text).join(' ').trim();
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    if (el.matches('input, select, textarea')) {
      const labels = el.labels ? [...el.labels].map(text).join(' ').trim() : '';
      if (labels) return labels;
      return (el.getAttribute('title') || el.getAttribute('placeholder') || '').trim();
    }
    if (el.matches('img')) return (el.getAttribute('alt') || '').trim();
    return text(el) || (el.getAttribute('title') || '').trim();
  }
  const hiddenFromAt = (el) => !!el.closest('[aria-hidden="true"]') || !!(el.parentElement && el.parentElement.closest('[role="img"]'));
  for (const el of document.querySelectorAll('button, input, select, textarea, a[href], [role="button"], [role="meter"], [role="group"], [role="region"], [tabindex]')) {
    if (!rendered(el) || hiddenFromAt(el)) continue;
    if (el.matches('[role="group"]:not([aria-label]):not([aria-labelledby])')) continue;
    if (!name(el)) problems.push('no accessible name: ' + describe(el));
  }
  for (const el of document.querySelectorAll('img, svg, canvas, [role="img"]')) {
    if (!rendered(el) || hiddenFromAt(el)) continue;
    if (!name(el)) problems.push('image without a label: ' + describe(el));
  }
  for (const el of document.querySelectorAll('th')) {
    if (rendered(el) && !hiddenFromAt(el) && !text(el)) problems.push('empty table header: ' + describe(el.closest('table') || el));
  }
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push('duplicate id: ' + id + ' (' + n + ')');
  for (const attr of ['aria-controls', 'aria-labelledby', 'aria-describedby', 'for']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\s+/)) if (id && !document.getElementById(id)) problems.push(attr + ' points nowhere: ' + describe(el) + ' -> ' + id);
    }
  }
  return problems;
})()`;

/** Every problem found on the page as it is now (empty when it passes). */
export async function auditPage(page: Page): Promise<string[]> {
  return (await page.evaluate(AUDIT)) as string[];
}

export interface TabStop {
  readonly id: string;
  readonly what: string;
  readonly outline: string;
  readonly outlineColor: string;
}

/**
 * Tags every rendered control, then presses Tab until focus leaves the page or comes back round: the stops, in
 * order, with the outline each showed, and the tags of the controls Tab never reached.
 */
export async function walkTabs(page: Page, maxStops = 600): Promise<{ stops: TabStop[]; missed: string[] }> {
  const all = (await page.evaluate(String.raw`(() => {
    const els = [...document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')]
      .filter((el) => el.getClientRects().length > 0 && !el.disabled && !el.closest('[inert]'));
    return els.map((el, i) => {
      el.setAttribute('data-tab-probe', String(i));
      return String(i) + ' ' + el.tagName.toLowerCase() + (el.dataset.action ? '[' + el.dataset.action + ']' : '') + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40);
    });
  })()`)) as string[];
  // Start before the first control, arriving by keyboard (as :focus-visible needs): focus it, step out, step back in.
  await page.evaluate('document.querySelector("[data-tab-probe=\\"0\\"]").focus()');
  await page.keyboard.press('Shift+Tab');
  const stops: TabStop[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const stop = (await page.evaluate(String.raw`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      return { id: el.getAttribute('data-tab-probe') || '?', what: el.tagName.toLowerCase() + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40), outline: cs.outlineStyle + ' ' + cs.outlineWidth, outlineColor: cs.outlineColor };
    })()`)) as TabStop | null;
    if (!stop || (stops.length > 0 && stop.id === stops[0]?.id)) break;
    stops.push(stop);
  }
  const reached = new Set(stops.map((s) => s.id));
  return { stops, missed: all.filter((d) => !reached.has(d.split(' ')[0] ?? '')) };
}
