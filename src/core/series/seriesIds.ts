// Series ids remembered per source: the same name and labels come back in every message, so the id
// string (name, sorted labels, JSON-quoted values) is built once, not once per sample.

import type { Labels } from '../../shared/views';
import { seriesKey } from '../model';

/** One step of the lookup: name, then each label key, then its value. */
interface Node {
  id: string | undefined;
  next: Map<string, Node> | undefined;
}

/** Ids kept per source; beyond this (hostile label churn) the cache starts over. */
const MAX_IDS_PER_SOURCE = 20_000;

export function seriesId(sourceId: string, name: string, labels: Labels): string {
  return `${sourceId}|${seriesKey(name, labels)}`;
}

export class SeriesIds {
  private readonly roots = new Map<string, { readonly names: Map<string, Node>; size: number }>();

  /** The id of `name` + `labels` (labels sorted, as samples carry them) in `sourceId`. */
  get(sourceId: string, name: string, labels: Labels): string {
    let root = this.roots.get(sourceId);
    if (root === undefined) {
      root = { names: new Map(), size: 0 };
      this.roots.set(sourceId, root);
    }
    let node = step(root.names, name);
    for (let i = 0; i < labels.length; i++) {
      const pair = labels[i] as readonly [string, string];
      node = step((node.next ??= new Map()), pair[0]);
      node = step((node.next ??= new Map()), pair[1]);
    }
    if (node.id === undefined) {
      if (root.size >= MAX_IDS_PER_SOURCE) {
        root.names.clear();
        root.size = 0;
        return this.get(sourceId, name, labels);
      }
      node.id = seriesId(sourceId, name, labels);
      root.size++;
    }
    return node.id;
  }

  forget(sourceId: string): void {
    this.roots.delete(sourceId);
  }

  clear(): void {
    this.roots.clear();
  }
}

function step(map: Map<string, Node>, key: string): Node {
  let node = map.get(key);
  if (node === undefined) {
    node = { id: undefined, next: undefined };
    map.set(key, node);
  }
  return node;
}
