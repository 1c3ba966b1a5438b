// Theme colours for canvas drawing: canvases cannot use CSS variables, so they are read when needed.
import type { AnnotationFamily } from '../devloop/annotationKinds';
import { FAMILY_COLOR_VAR } from '../devloop/annotationKinds';

const FAMILY_FALLBACK: Readonly<Record<AnnotationFamily, string>> = { save: '#3794ff', restart: '#d18616', git: '#b180d7', task: '#89d185' };

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly warning: string;
  readonly critical: string;
  readonly font: string;
  readonly palette: readonly string[];
  readonly background: string;
  /** Annotation marker colour per kind family. */
  readonly annotations: Readonly<Record<AnnotationFamily, string>>;
}

export function chartTheme(): ChartTheme {
  const family = cssVar('--vscode-font-family', 'system-ui, sans-serif');
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    warning: cssVar('--vscode-editorWarning-foreground', '#cca700'),
    critical: cssVar('--vscode-errorForeground', '#f48771'),
    font: `11px ${family}`,
    background: cssVar('--vscode-editorWidget-background', cssVar('--vscode-editor-background', '#1f1f1f')),
    annotations: {
      save: cssVar(FAMILY_COLOR_VAR.save, FAMILY_FALLBACK.save),
      restart: cssVar(FAMILY_COLOR_VAR.restart, FAMILY_FALLBACK.restart),
      git: cssVar(FAMILY_COLOR_VAR.git, FAMILY_FALLBACK.git),
      task: cssVar(FAMILY_COLOR_VAR.task, FAMILY_FALLBACK.task),
    },
    palette: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-yellow', '#cca700'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-charts-foreground', '#cccccc'),
    ],
  };
}

/** Calls back when VS Code switches theme (it changes the body class and the variables on <html>). */
export function onThemeChange(callback: () => void): void {
  const observer = new MutationObserver(() => callback());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
