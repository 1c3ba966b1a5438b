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
  const truncated = forEachNumericLeaf(root, bounds, skip, (path, value) => {
    leaves.push({ path, value });
  });
  return { leaves, truncated };
}

/**
 * The walk of numericLeaves, handing each leaf to `visit` as it is found (no leaf objects, no
 * array). Returns true when something was left out.
 */
export function forEachNumericLeaf(
  root: unknown,
  bounds: WalkBounds,
  skip: ((path: string, depth: number) => boolean) | undefined,
  visit: (path: string, value: number) => void,
): boolean {
  let truncated = false;
  if (typeof root === 'number') {
    if (Number.isFinite(root)) visit('', root === 0 ? 0 : root);
    return truncated;
  }
  if (typeof root !== 'object' || root === null) return truncated;
  const maxNodes = Math.max(10_000, bounds.maxLeaves * 20);
  let nodes = 0;
  let found = 0;
  const stack: Frame[] = [frameFor(root, '', 1)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (top.index >= top.length) {
      stack.pop();
      continue;
    }
    const i = top.index++;
    if (++nodes > maxNodes || found >= bounds.maxLeaves) {
      truncated = true;
      break;
    }
    const key = top.keys === undefined ? String(i) : (top.keys[i] ?? '');
    const path = top.path === '' ? key : top.keys === undefined ? `${top.path}.${key}` : joinPath(top.path, key);
    if (path.length > MAX_PATH) {
      truncated = true;
      continue;
    }
    if (skip?.(path, top.depth) === true) continue;
    const child: unknown = top.keys === undefined ? (top.container as readonly unknown[])[i] : (top.container as Record<string, unknown>)[key];
    if (typeof child === 'number') {
      if (Number.isFinite(child)) {
        found++;
        visit(path, child === 0 ? 0 : child);
      }
    } else if (typeof child === 'object' && child !== null) {
      if (top.depth >= bounds.maxDepth) truncated = true;
      else stack.push(frameFor(child, path, top.depth + 1));
    }
  }
  return truncated;
}

/** Dotted paths already joined, by parent path then key: a source sends the same keys in every message. */
const joined = new Map<string, Map<string, string>>();
let joinedCount = 0;
/** Paths remembered in all; beyond this the memo starts over (keys are untrusted). */
const MAX_JOINED = 8192;
/** Keys remembered under one parent: a wide object (thousands of keys) is joined the plain way. */
const MAX_JOINED_PER_PARENT = 256;

/**
 * `${parent}.${key}`, the same string object each time it is asked for: no concatenation, and the
 * Map lookups downstream (known fields, inferred series, series ids) find its hash already computed.
 */
function joinPath(parent: string, key: string): string {
  let keys = joined.get(parent);
  if (keys === undefined) {
    if (joinedCount >= MAX_JOINED) {
      joined.clear();
      joinedCount = 0;
    }
    keys = new Map();
    joined.set(parent, keys);
    joinedCount++;
  }
  let path = keys.get(key);
  if (path === undefined) {
    path = `${parent}.${key}`;
    if (path.length <= MAX_PATH && keys.size < MAX_JOINED_PER_PARENT && joinedCount < MAX_JOINED) {
      keys.set(key, path);
      joinedCount++;
    }
  }
  return path;
}

function frameFor(container: object, path: string, depth: number): Frame {
  if (isObject(container)) {
    const keys = Object.keys(container);
    return { container, keys, length: keys.length, index: 0, path, depth };
  }
  return { container, keys: undefined, length: (container as readonly unknown[]).length, index: 0, path, depth };
}
