import { isObject } from './values';

export interface NumericLeaf {
  /** Dotted path: object keys and array indexes joined with `.`. */
  readonly path: string;
  readonly value: number;
}

export interface WalkBounds {
  readonly maxDepth: number;
  readonly maxLeaves: number;
}

export interface WalkResult {
  readonly leaves: NumericLeaf[];
  /** Something was left out: too deep, too many leaves or nodes, or a path too long. */
  readonly truncated: boolean;
}

/** Paths longer than this are not series names anyone wants; they are skipped. */
const MAX_PATH = 256;

interface Frame {
  readonly container: object;
  readonly keys: readonly string[] | undefined; // undefined: an array, walked by index
  readonly length: number;
  index: number;
  readonly path: string;
  readonly depth: number;
}

/**
 * Every finite number in a parsed JSON value, depth-first in document order. Iterative (an explicit
 * stack of frames), so 10 000 nested levels cannot overflow the call stack; bounded in depth,
 * leaves and nodes visited. `skip(path, depth)` prunes a key (and its subtree) before it is read.
 */
export function numericLeaves(
  root: unknown,
  bounds: WalkBounds,
  skip?: (path: string, depth: number) => boolean,
): WalkResult {
  const leaves: NumericLeaf[] = [];
  let truncated = false;
  if (typeof root === 'number') {
    if (Number.isFinite(root)) leaves.push({ path: '', value: root === 0 ? 0 : root });
    return { leaves, truncated };
  }
  if (typeof root !== 'object' || root === null) return { leaves, truncated };
  const maxNodes = Math.max(10_000, bounds.maxLeaves * 20);
  let nodes = 0;
  const stack: Frame[] = [frameFor(root, '', 1)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (top.index >= top.length) {
      stack.pop();
      continue;
    }
    const i = top.index++;
    if (++nodes > maxNodes || leaves.length >= bounds.maxLeaves) {
      truncated = true;
      break;
    }
    const key = top.keys === undefined ? String(i) : (top.keys[i] ?? '');
    const path = top.path === '' ? key : `${top.path}.${key}`;
    if (path.length > MAX_PATH) {
      truncated = true;
      continue;
    }
    if (skip?.(path, top.depth) === true) continue;
    const child: unknown = top.keys === undefined ? (top.container as readonly unknown[])[i] : (top.container as Record<string, unknown>)[key];
    if (typeof child === 'number') {
      if (Number.isFinite(child)) leaves.push({ path, value: child === 0 ? 0 : child });
    } else if (typeof child === 'object' && child !== null) {
      if (top.depth >= bounds.maxDepth) truncated = true;
      else stack.push(frameFor(child, path, top.depth + 1));
    }
  }
  return { leaves, truncated };
}

function frameFor(container: object, path: string, depth: number): Frame {
  if (isObject(container)) {
    const keys = Object.keys(container);
    return { container, keys, length: keys.length, index: 0, path, depth };
  }
  return { container, keys: undefined, length: (container as readonly unknown[]).length, index: 0, path, depth };
}
