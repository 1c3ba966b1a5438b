// How each dev-loop annotation kind looks: its family (which sets the marker colour), a name for people,
// and the shape drawn at the top of chart markers. Pure data, so the reducer and tests can use it without a DOM.
import type { AnnotationKind } from '../../src/shared/vocabulary';
import { ANNOTATION_KINDS } from '../../src/shared/vocabulary';
import { isOneOf } from '../../src/shared/check';
import { l10n } from '../ui/l10n';

export type AnnotationFamily = 'save' | 'restart' | 'git' | 'task';
/** The marker's head on a chart: a different shape per family, so colour is not the only cue. */
export type MarkerShape = 'circle' | 'triangle' | 'diamond' | 'square';

/** Names of icons in icons.ts (kept as a literal union here so this file stays free of the DOM). */
export type KindIcon = 'save' | 'refresh' | 'plug' | 'git-branch' | 'git-commit' | 'task-start' | 'task-end' | 'debug' | 'debug-end';

export interface KindInfo {
  readonly family: AnnotationFamily;
  /** Short name in the panel's language, e.g. "Save", "Branch switch" (a getter: read when drawn). */
  readonly name: string;
  readonly icon: KindIcon;
}

// A Record over the union (names are getters, so they are read in the language loaded when drawn): adding a kind to AnnotationKind fails to compile until it is described here.
export const KINDS: Readonly<Record<AnnotationKind, KindInfo>> = {
  save: { family: 'save', get name() { return l10n.t('Save'); }, icon: 'save' },
  restart: { family: 'restart', get name() { return l10n.t('Restart'); }, icon: 'refresh' },
  reconnect: { family: 'restart', get name() { return l10n.t('Reconnect'); }, icon: 'plug' },
  'git-branch': { family: 'git', get name() { return l10n.t('Branch switch'); }, icon: 'git-branch' },
  'git-commit': { family: 'git', get name() { return l10n.t('Commit'); }, icon: 'git-commit' },
  'task-start': { family: 'task', get name() { return l10n.t('Task started'); }, icon: 'task-start' },
  'task-end': { family: 'task', get name() { return l10n.t('Task ended'); }, icon: 'task-end' },
  'debug-start': { family: 'task', get name() { return l10n.t('Debug started'); }, icon: 'debug' },
  'debug-end': { family: 'task', get name() { return l10n.t('Debug ended'); }, icon: 'debug-end' },
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
