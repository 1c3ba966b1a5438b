// The `queries` and `selector` settings of a `promql` source, checked like every other setting:
// each problem names the setting and what is done instead.

import type { PromqlQuery, PromqlSettings } from '../model';
import type { Unit } from '../../shared/vocabulary';
import { isRole } from '../series/glob';
import { ROLES, UNITS } from '../../shared/vocabulary';
import { isOneOf } from '../../shared/check';

/** Most queries sent per poll (and per backfill): the request budget. */
export const MAX_QUERIES_PER_POLL = 20;
export const MAX_QUERY_CHARS = 4000;
export const MAX_SELECTOR_CHARS = 500;
const MAX_NAME = 100;
const QUERY_KEYS = new Set(['name', 'query', 'unit', 'role']);

const MATCHER = String.raw`\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*`;
const MATCHERS = new RegExp(`^${MATCHER}(?:,${MATCHER})*,?\\s*$`);

/** `{job="api"}` or `job="api"` → the matchers between the braces, or undefined when it is not a selector. */
export function selectorMatchers(selector: string): string | undefined {
  const s = selector.trim();
  if (s.length === 0 || s.length > MAX_SELECTOR_CHARS || /[\r\n]/.test(s)) return undefined;
  const inner = s.startsWith('{') ? (s.endsWith('}') ? s.slice(1, -1).trim() : undefined) : s;
  if (inner === undefined) return undefined;
  // Each matcher is `label op "value"` and quotes balance, so nothing leaks out of the braces.
  if (inner !== '' && !MATCHERS.test(inner)) return undefined;
  return inner.replace(/,\s*$/, '');
}

function show(x: unknown): string {
  const text = typeof x === 'string' ? JSON.stringify(x) : (JSON.stringify(x) ?? String(x));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The source's PromQL settings, or undefined (with a problem) when it has no usable query. */
export function parsePromqlSettings(queries: unknown, selector: unknown, label: string, problems: string[]): PromqlSettings | undefined {
  const out: PromqlQuery[] = [];
  const names = new Set<string>();
  if (queries !== undefined) {
    if (!Array.isArray(queries)) problems.push(`${label}: "queries" must be a list of { query, name?, unit?, role? }; ignored`);
    else {
      (queries as unknown[]).forEach((q, i) => {
        const where = `${label}: queries[${i}]`;
        if (typeof q === 'string') q = { query: q };
        if (typeof q !== 'object' || q === null || Array.isArray(q)) return problems.push(`${where} must be an object with a "query"; skipped`);
        const entry = q as Record<string, unknown>;
        const unknownKeys = Object.keys(entry).filter((k) => !QUERY_KEYS.has(k));
        if (unknownKeys.length > 0) problems.push(`${where}: unknown ${unknownKeys.length === 1 ? 'property' : 'properties'} ${unknownKeys.map(show).join(', ')} ignored`);
        const query = typeof entry.query === 'string' ? entry.query.trim() : '';
        if (!query || query.length > MAX_QUERY_CHARS) return problems.push(`${where}: "query" must be a PromQL expression of 1 to ${MAX_QUERY_CHARS} characters; skipped`);
        let name = query.replace(/\s+/g, ' ').slice(0, MAX_NAME);
        if (entry.name !== undefined) {
          if (typeof entry.name === 'string' && entry.name.trim() && entry.name.trim().length <= MAX_NAME) name = entry.name.trim();
          else problems.push(`${where}: "name" must be a string of 1 to ${MAX_NAME} characters; using the query`);
        }
        if (names.has(name)) return problems.push(`${where}: another query is already named ${show(name)}; skipped`);
        let unit: Unit | undefined;
        if (entry.unit !== undefined) {
          if (isOneOf(entry.unit, UNITS)) unit = entry.unit;
          else problems.push(`${where}: "unit" must be one of ${UNITS.join(', ')}, got ${show(entry.unit)}; using none`);
        }
        const role = entry.role;
        if (role !== undefined && !isRole(role)) problems.push(`${where}: "role" must be one of ${ROLES.join(', ')}, got ${show(role)}; ignored`);
        if (out.length >= MAX_QUERIES_PER_POLL) return problems.push(`${where}: at most ${MAX_QUERIES_PER_POLL} queries per source; skipped`);
        names.add(name);
        out.push({ name, query, ...(unit ? { unit } : {}), ...(isRole(role) ? { role } : {}) });
      });
    }
  }
  let sel: string | undefined;
  if (selector !== undefined) {
    if (typeof selector === 'string' && selectorMatchers(selector) !== undefined) sel = selector.trim();
    else problems.push(`${label}: "selector" must be a series selector such as {job="api"}, got ${show(selector)}; ignored`);
  }
  if (out.length === 0 && sel === undefined) {
    problems.push(`${label}: kind "promql" needs "queries" or a "selector"; skipped`);
    return undefined;
  }
  return { queries: out, ...(sel === undefined ? {} : { selector: sel }) };
}
