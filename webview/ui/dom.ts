// Tiny DOM builders. They only ever set attributes and text: no HTML parsing anywhere in the webview.
import { safeText, TABLE_MAX, TITLE_MAX } from './text';

export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;
export type Child = Node | string | null | undefined | false;

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttrs(node: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    // Event handlers and inline styles never come from attributes (CSP forbids the latter anyway).
    if (/^on/i.test(name) || name === 'style') throw new Error(`el(): attribute ${name} is not allowed`);
    if (value == null || value === false) {
      if (node.hasAttribute(name)) node.removeAttribute(name);
    } else {
      // Rewriting an attribute with the value it has still invalidates style (and an SVG path's geometry).
      const text = value === true ? '' : String(value);
      if (node.getAttribute(name) !== text) node.setAttribute(name, text);
    }
  }
}

function append(node: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c == null || c === false) continue;
    node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** An HTML element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function setAttr(node: Element, name: string, value: AttrValue): void {
  setAttrs(node, { [name]: value });
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/**
 * Shows untrusted text: cleaned and cut to `max`; when cut, the title holds more of it (up to 1000 chars).
 * Only touches the DOM when the text changed, so keyed row updates stay cheap.
 */
export function setText(node: Element, value: unknown, max = TABLE_MAX): void {
  const raw = typeof value === 'string' ? value : value == null ? '' : String(value);
  const shown = safeText(raw, max);
  setTextIfChanged(node, shown);
  const title = raw.length > max || shown.endsWith('…') ? safeText(raw, TITLE_MAX) : null;
  if (title == null) {
    if (node.hasAttribute('title')) node.removeAttribute('title');
  } else if (node.getAttribute('title') !== title) node.setAttribute('title', title);
}

/**
 * Sets trusted, already formatted text, touching the DOM only when it differs from what is shown. A lone
 * text child is changed in place: replacing it (as textContent does) re-creates its layout object.
 */
export function setTextIfChanged(node: Node, text: string): void {
  const only = node.firstChild;
  if (text !== '' && only instanceof Text && only === node.lastChild) {
    if (only.data !== text) only.data = text;
  } else if (node.textContent !== text) node.textContent = text;
}

/** Shows or hides an element; leaves it alone when it already is (re-setting `hidden` still invalidates style). */
export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** A real <button type="button"> with a click handler. */
export function button(label: string, attrs: Attrs, onClick: (ev: MouseEvent) => void): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** A translated message whose `{0}`, `{1}` … stand for elements: `withNodes(l10n.t('{0} could not connect to {1}'), name, url)`. */
export function withNodes(text: string, ...nodes: readonly Node[]): (Node | string)[] {
  const out: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{(\d+)\}/g)) {
    const node = nodes[Number(m[1])];
    if (node === undefined) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(node);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
