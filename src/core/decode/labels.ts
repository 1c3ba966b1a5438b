import { sortLabels } from '../model';
import { MAX_LABEL_VALUE, truncate } from './values';
import type { Labels } from '../../shared/views';

/**
 * Labels sorted by key with unique keys and values cut to MAX_LABEL_VALUE; pairs already in that
 * shape are returned as they are (the common case, and the fast one).
 */
export function normalizeLabels(pairs: ReadonlyArray<readonly [string, string]>): Labels {
  let ordered = true;
  for (let i = 0; i < pairs.length; i++) {
    const cur = pairs[i];
    if (cur === undefined) continue;
    if (cur[1].length > MAX_LABEL_VALUE) return sortLabels(pairs.map(([k, v]) => [k, truncate(v, MAX_LABEL_VALUE)] as const));
    const prev = i > 0 ? pairs[i - 1] : undefined;
    if (prev !== undefined && !(prev[0] < cur[0])) ordered = false;
  }
  return ordered ? pairs : sortLabels(pairs);
}
