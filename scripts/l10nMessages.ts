// Every `l10n.t('…')` / `vscode.l10n.t('…')` message in our TypeScript, read with the TypeScript parser. Used by
// scripts/l10nExport.ts (writes the bundle) and test/unit/host/l10nBundle.test.ts (checks it).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface L10nCalls {
  /** The messages, in file order, each once. */
  readonly messages: readonly string[];
  /** `file:line` of every call whose message is not a literal (the export tool cannot list those). */
  readonly notLiteral: readonly string[];
}

/** The translators themselves: they pass their caller's message on. */
const WRAPPERS = new Set(['src/host/l10n.ts']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
}

/** `l10n.t(…)` or `vscode.l10n.t(…)`. */
function isL10nT(call: ts.CallExpression): boolean {
  const f = call.expression;
  if (!ts.isPropertyAccessExpression(f) || f.name.text !== 't') return false;
  const o = f.expression;
  return (ts.isIdentifier(o) && o.text === 'l10n') || (ts.isPropertyAccessExpression(o) && o.name.text === 'l10n' && ts.isIdentifier(o.expression) && o.expression.text === 'vscode');
}

export function l10nCalls(root: string, dirs: readonly string[]): L10nCalls {
  const messages = new Set<string>();
  const notLiteral: string[] = [];
  for (const file of dirs.flatMap((d) => files(join(root, d)))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isL10nT(node)) {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.add(first.text);
        else if (!WRAPPERS.has(relative(root, file).split('\\').join('/'))) notLiteral.push(`${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages: [...messages], notLiteral };
}
