// Metric patterns of threshold rules: an exact series name, a glob (`*` any run of characters,
// `?` one character), or `role:<Role>`. Globs are compiled with every other character escaped,
// so a pattern can never inject regular-expression syntax.

import type { Labels } from '../../shared/views';
import type { Role } from '../../shared/vocabulary';
import { ROLES } from '../../shared/vocabulary';
import { isOneOf } from '../../shared/check';

export function isRole(x: unknown): x is Role {
  return isOneOf(x, ROLES);
}

const MAX_PATTERN = 256;
// Dotted, Prometheus (with `:`), slashes and dashes; no spaces, quotes, braces or control characters.
const PLAUSIBLE = /^[A-Za-z0-9_.:\-/*?]+$/;

export interface MetricTarget {
  readonly name: string;
  readonly role: Role | null;
}

export type MetricMatcher = (target: MetricTarget) => boolean;

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Why a metric pattern is not usable, or null when it is. */
export function patternProblem(pattern: unknown): string | null {
  if (typeof pattern !== 'string' || pattern.length === 0) return 'metric must be a non-empty string';
  if (pattern.length > MAX_PATTERN) return `metric is longer than ${MAX_PATTERN} characters`;
  if (pattern.startsWith('role:')) {
    const role = pattern.slice(5);
    return isRole(role) ? null : `unknown role "${role}" in metric "${pattern}" (one of ${ROLES.join(', ')})`;
  }
  if (!PLAUSIBLE.test(pattern)) return `metric "${pattern}" is not a series name or glob (letters, digits, _ . : - / and the wildcards * ?)`;
  return null;
}

/** Compiles a pattern; undefined when it is not usable (see patternProblem). */
export function compileMetricPattern(pattern: string): MetricMatcher | undefined {
  if (patternProblem(pattern) !== null) return undefined;
  if (pattern.startsWith('role:')) {
    const role = pattern.slice(5);
    return (t) => t.role === role;
  }
  if (!isGlob(pattern)) return (t) => t.name === pattern;
  const re = globToRegExp(pattern);
  return (t) => re.test(t.name);
}

export type LabelMatcher = (labels: Labels) => boolean;

/** Every required label must be present with a matching value (globs allowed); other labels are free. */
export function compileLabelMatcher(required: ReadonlyMap<string, string> | null): LabelMatcher {
  if (required === null || required.size === 0) return () => true;
  const tests: Array<readonly [string, (v: string) => boolean]> = [];
  for (const [key, value] of required) {
    if (isGlob(value)) {
      const re = globToRegExp(value);
      tests.push([key, (v) => re.test(v)]);
    } else {
      tests.push([key, (v) => v === value]);
    }
  }
  return (labels) => {
    for (const [key, test] of tests) {
      let found = false;
      for (const [k, v] of labels) {
        if (k === key) {
          found = test(v);
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  };
}
