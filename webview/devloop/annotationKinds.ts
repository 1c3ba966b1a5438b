// How each dev-loop annotation kind looks: its family (which sets the marker colour), a name for people,
// and the shape drawn at the top of chart markers. Pure data, so the reducer and tests can use it without a DOM.
import type { AnnotationKind } from '../../src/shared/vocabulary';
import { ANNOTATION_KINDS } from '../../src/shared/vocabulary';
import { isOneOf } from '../../src/shared/check';

export type AnnotationFamily = 'save' | 'restart' | 'git' | 'task';
/** The marker's head on a chart: a different shape per family, so colour is not the only cue. */
export type MarkerShape = 'circle' | 'triangle' | 'diamond' | 'square';

/** Names of icons in icons.ts (kept as a literal union here so this file stays free of the DOM). */
export type KindIcon = 'save' | 'refresh' | 'plug' | 'git-branch' | 'git-commit' | 'task-start' | 'task-end' | 'debug' | 'debug-end';

export interface KindInfo {
  readonly family: AnnotationFamily;
  /** Short name, e.g. "Save", "Branch switch". */
  readonly name: string;
  readonly icon: KindIcon;
}

// A Record over the union: adding a kind to AnnotationKind fails to compile until it is described here.
export const KINDS: Readonly<Record<AnnotationKind, KindInfo>> = {
  save: { family: 'save', name: 'Save', icon: 'save' },
  restart: { family: 'restart', name: 'Restart', icon: 'refresh' },
  reconnect: { family: 'restart', name: 'Reconnect', icon: 'plug' },
  'git-branch': { family: 'git', name: 'Branch switch', icon: 'git-branch' },
  'git-commit': { family: 'git', name: 'Commit', icon: 'git-commit' },
  'task-start': { family: 'task', name: 'Task started', icon: 'task-start' },
  'task-end': { family: 'task', name: 'Task ended', icon: 'task-end' },
  'debug-start': { family: 'task', name: 'Debug started', icon: 'debug' },
  'debug-end': { family: 'task', name: 'Debug ended', icon: 'debug-end' },
};

export const FAMILY_COLOR_VAR: Readonly<Record<AnnotationFamily, string>> = {
  save: '--vscode-charts-blue',
  restart: '--vscode-charts-orange',
  git: '--vscode-charts-purple',
  task: '--vscode-charts-green',
};

export const FAMILY_SHAPE: Readonly<Record<AnnotationFamily, MarkerShape>> = {
  save: 'circle',
  restart: 'triangle',
  git: 'diamond',
  task: 'square',
};

export function isAnnotationKind(x: unknown): x is AnnotationKind {
  return isOneOf(x, ANNOTATION_KINDS);
}
