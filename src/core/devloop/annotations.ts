// Dev-loop events (saves, restarts, git, tasks, debug sessions) drawn on every chart and kept with history.

import { Emitter } from '../events';
import type { Event } from '../events';
import { isOneOf, isRecord } from '../../shared/check';
import type { AnnotationKind } from '../../shared/vocabulary';
import { ANNOTATION_KINDS } from '../../shared/vocabulary';

export interface Annotation {
  readonly id: string;
  /** ms since epoch */
  readonly at: number;
  readonly kind: AnnotationKind;
  /** Short text for hovers, e.g. "Saved src/server.ts". */
  readonly label: string;
  readonly detail?: string;
  /** The metric source it concerns (restarts, reconnects); absent for workspace events. */
  readonly sourceId?: string;
}

export type AnnotationInput = Omit<Annotation, 'id'>;

export interface AnnotationLogOptions {
  /** Most annotations kept; the oldest are dropped. */
  readonly capacity?: number;
  /** Saves of the same file closer together than this are recorded once. */
  readonly coalesceMs?: number;
}

export const MAX_LABEL = 200;
export const MAX_DETAIL = 1000;
const MAX_ID = 128;
const MAX_SOURCE_ID = 512;
const MAX_PROBLEMS = 5;
const SERIAL_VERSION = 1;

export class AnnotationLog {
  private readonly items: Annotation[] = [];
  private readonly ids = new Set<string>();
  /** Last time each file was saved (coalesced or not), by label; pruned as saves age out. */
  private readonly recentSaves = new Map<string, number>();
  private seq = 0;
  private readonly added = new Emitter<Annotation>();
  private readonly capacity: number;
  private readonly coalesceMs: number;

  readonly onDidAdd: Event<Annotation> = this.added.event;

  constructor(options: AnnotationLogOptions = {}) {
    this.capacity = Math.max(1, Math.floor(options.capacity ?? 1000));
    this.coalesceMs = Math.max(0, options.coalesceMs ?? 2000);
  }

  get size(): number {
    return this.items.length;
  }

  /** Records an annotation; returns it, or undefined when it was coalesced into an earlier save or is invalid. */
  add(input: AnnotationInput): Annotation | undefined {
    if (!Number.isFinite(input.at) || !ANNOTATION_KINDS.includes(input.kind)) return undefined;
    const label = clean(input.label, MAX_LABEL);
    if (input.kind === 'save' && this.isRapidRepeat(`${input.sourceId ?? ''}\n${label}`, input.at)) return undefined;
    const annotation = this.store({ ...withOptional(input, label), id: this.nextId(input.at) });
    this.added.fire(annotation);
    return annotation;
  }

  /** Annotations with from ≤ at ≤ to, oldest first. */
  list(from = -Infinity, to = Infinity): Annotation[] {
    return this.items.filter((a) => a.at >= from && a.at <= to);
  }

  /** The latest annotation of this kind (at or before `before`, when given). */
  lastOf(kind: AnnotationKind, before = Infinity): Annotation | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const a = this.items[i];
      if (a !== undefined && a.kind === kind && a.at <= before) return a;
    }
    return undefined;
  }

  get(id: string): Annotation | undefined {
    return this.ids.has(id) ? this.items.find((a) => a.id === id) : undefined;
  }

  clear(): void {
    this.items.length = 0;
    this.ids.clear();
    this.recentSaves.clear();
  }

  serialize(): unknown {
    return { version: SERIAL_VERSION, items: this.items.map((a) => ({ ...a })) };
  }

  /** Builds a log from what serialize() produced. Never throws: whatever cannot be used is reported and dropped. */
  static restore(value: unknown, options: AnnotationLogOptions = {}): { log: AnnotationLog; problems: string[] } {
    const log = new AnnotationLog(options);
    return { log, problems: log.restoreFrom(value) };
  }

  /**
   * Adds what serialize() produced to this log (annotations recorded since startup are kept; the newest
   * `capacity` survive). Returns the problems found, worded to follow "Saved annotations: ". Never throws.
   */
  restoreFrom(value: unknown): string[] {
    try {
      return this.restoreItems(value);
    } catch (e) {
      // Only reachable with exotic input (getters that throw, proxies); storage hands us plain JSON.
      return [`could not be read (${e instanceof Error ? e.message : 'unknown error'}); discarded.`];
    }
  }

  private restoreItems(value: unknown): string[] {
    const problems: string[] = [];
    if (value === undefined || value === null) return problems;
    if (!isRecord(value) || !Array.isArray(value.items)) {
      problems.push('not in the expected format; discarded.');
      return problems;
    }
    if (value.version !== SERIAL_VERSION) problems.push(`unknown version (${describe(value.version)}); kept what could be read.`);
    let dropped = 0;
    const restored: Annotation[] = [];
    const seen = new Set(this.ids);
    for (const item of value.items as unknown[]) {
      const a = parseAnnotation(item);
      if (a === undefined || seen.has(a.id)) {
        dropped++;
        continue;
      }
      seen.add(a.id);
      restored.push(a);
    }
    if (dropped > 0) problems.push(`${dropped} malformed or duplicate entr${dropped === 1 ? 'y' : 'ies'} dropped.`);
    restored.sort((a, b) => a.at - b.at);
    for (const a of restored.slice(-this.capacity)) this.store(a);
    return problems.slice(0, MAX_PROBLEMS);
  }

  private isRapidRepeat(key: string, at: number): boolean {
    for (const [k, t] of this.recentSaves) if (Math.abs(at - t) > this.coalesceMs) this.recentSaves.delete(k);
    const last = this.recentSaves.get(key);
    this.recentSaves.set(key, last === undefined ? at : Math.max(last, at));
    return last !== undefined && Math.abs(at - last) <= this.coalesceMs;
  }

  private store(annotation: Annotation): Annotation {
    // Sources deliver in order almost always; an out-of-order annotation is placed by time.
    let i = this.items.length;
    while (i > 0 && (this.items[i - 1]?.at ?? -Infinity) > annotation.at) i--;
    this.items.splice(i, 0, annotation);
    this.ids.add(annotation.id);
    while (this.items.length > this.capacity) {
      const dropped = this.items.shift();
      if (dropped !== undefined) this.ids.delete(dropped.id);
    }
    return annotation;
  }

  private nextId(at: number): string {
    let id: string;
    do id = `a${Math.max(0, Math.floor(at)).toString(36)}-${(this.seq++).toString(36)}`;
    while (this.ids.has(id));
    return id;
  }
}

function withOptional(input: AnnotationInput, label: string): AnnotationInput {
  const out: { -readonly [K in keyof AnnotationInput]: AnnotationInput[K] } = { at: input.at, kind: input.kind, label };
  if (input.detail !== undefined) out.detail = clean(input.detail, MAX_DETAIL);
  if (input.sourceId !== undefined) out.sourceId = input.sourceId.slice(0, MAX_SOURCE_ID);
  return out;
}

function parseAnnotation(x: unknown): Annotation | undefined {
  if (!isRecord(x)) return undefined;
  const { id, at, kind, label, detail, sourceId } = x;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) return undefined;
  if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  if (!isOneOf(kind, ANNOTATION_KINDS)) return undefined;
  if (typeof label !== 'string') return undefined;
  if (detail !== undefined && typeof detail !== 'string') return undefined;
  if (sourceId !== undefined && (typeof sourceId !== 'string' || sourceId.length > MAX_SOURCE_ID)) return undefined;
  const input = withOptional({ at, kind, label, detail, sourceId }, clean(label, MAX_LABEL));
  return { ...input, id };
}

/** Single line, control characters removed, at most `max` characters (an ellipsis marks the cut). */
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  let cut = max - 1;
  const code = oneLine.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // don't split a surrogate pair
  return `${oneLine.slice(0, cut)}…`;
}

function describe(x: unknown): string {
  return typeof x === 'number' || typeof x === 'string' ? String(x).slice(0, 20) : typeof x;
}

