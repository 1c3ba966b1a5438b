// Lists every place in src/host where text reaches a VS Code API that parses links, Markdown or
// $(icon) syntax, and fails when one is given a string that did not go through src/core/views/safeText.ts
// (or is not a constant). Uses the TypeScript checker: SafeText/SafeMarkdown are branded types.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../helpers/fakeVscode';

type Mode = 'text' | 'markdown';

interface Finding {
  readonly where: string;
  readonly what: string;
}

const PROBE = join(repoRoot, 'src', 'host', '__unsafeProbe.ts');
const PROBE_TEXT = `import * as vscode from 'vscode';
export function probe(name: string): void {
  void vscode.window.showErrorMessage(\`Pulse: \${name}\`);
  void vscode.window.showQuickPick([{ label: name }], { title: 'ok' });
  void new vscode.MarkdownString(name);
}
`;

function hostFiles(dir = join(repoRoot, 'src', 'host')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? hostFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function makeProgram(roots: readonly string[]): ts.Program {
  const read = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === PROBE ? ts.createSourceFile(name, PROBE_TEXT, language) : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === PROBE || fileExists(name);
  return ts.createProgram([...roots, PROBE], options, host);
}

/** Every sink in the given files, with the ones given unsafe text. */
function audit(program: ts.Program, files: readonly string[]): { sinks: number; findings: Finding[] } {
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  let sinks = 0;

  const typeSafe = (type: ts.Type, mode: Mode): boolean => {
    if (type.isUnion()) return type.types.every((t) => typeSafe(t, mode));
    const constant = ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never;
    if (type.flags & constant) return true;
    if (!type.isIntersection()) return false;
    return type.types.some((t) => {
      const brand = t.getProperty('__pulseSafe');
      const value = brand ? checker.getTypeOfSymbol(brand) : undefined;
      return value !== undefined && value.isStringLiteral() && value.value === mode;
    });
  };

  const exprSafe = (node: ts.Expression, mode: Mode): boolean => {
    if (typeSafe(checker.getTypeAtLocation(node), mode)) return true;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
    if (ts.isParenthesizedExpression(node)) return exprSafe(node.expression, mode);
    if (ts.isConditionalExpression(node)) return exprSafe(node.whenTrue, mode) && exprSafe(node.whenFalse, mode);
    if (ts.isTemplateExpression(node)) return node.templateSpans.every((s) => exprSafe(s.expression, mode));
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      const joins = op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken;
      return joins && exprSafe(node.left, mode) && exprSafe(node.right, mode);
    }
    return false;
  };

  /** An item or options type: each named property (when present) is safe text. */
  const fieldsOfTypeSafe = (type: ts.Type, fields: readonly string[]): boolean => {
    if (type.isUnion()) return type.types.every((t) => fieldsOfTypeSafe(t, fields));
    if (type.flags & ts.TypeFlags.StringLike) return typeSafe(type, 'text');
    return fields.every((name) => {
      const prop = type.getProperty(name);
      return prop === undefined || typeSafe(checker.getNonNullableType(checker.getTypeOfSymbol(prop)), 'text');
    });
  };

  const objectSafe = (node: ts.Expression, fields: readonly string[]): boolean => {
    if (!ts.isObjectLiteralExpression(node)) return fieldsOfTypeSafe(checker.getTypeAtLocation(node), fields);
    return node.properties.every((p) => {
      if (ts.isSpreadAssignment(p)) return fieldsOfTypeSafe(checker.getTypeAtLocation(p.expression), fields);
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (name === undefined || !fields.includes(name)) return true;
      if (ts.isPropertyAssignment(p)) return exprSafe(p.initializer, 'text');
      return typeSafe(checker.getTypeAtLocation(p.name), 'text');
    });
  };

  const elementsSafe = (type: ts.Type, fields: readonly string[]): boolean => {
    const list = checker.getAwaitedType(type) ?? type;
    if (!checker.isArrayType(list) && !checker.isTupleType(list)) return false;
    return checker.getTypeArguments(list as ts.TypeReference).every((t) => fieldsOfTypeSafe(t, fields));
  };

  const itemsSafe = (node: ts.Expression, fields: readonly string[]): boolean => {
    if (!ts.isArrayLiteralExpression(node)) return elementsSafe(checker.getTypeAtLocation(node), fields);
    return node.elements.every((e) => (ts.isSpreadElement(e) ? elementsSafe(checker.getTypeAtLocation(e.expression), fields) : objectSafe(e, fields)));
  };

  for (const file of files) {
    const source = program.getSourceFile(file);
    assert.ok(source, `${file} is in the program`);
    const where = (node: ts.Node): string => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      return `${relative(repoRoot, file)}:${line + 1}`;
    };
    const check = (node: ts.Node, ok: boolean, what: string): void => {
      sinks++;
      if (!ok) findings.push({ where: where(node), what: `${what}: ${node.getText(source).slice(0, 120)}` });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const name = node.expression.name.text;
        const [first, second] = node.arguments;
        if (/^show(Error|Warning|Information)Message$/.test(name)) {
          node.arguments.forEach((arg, i) => {
            if (ts.isObjectLiteralExpression(arg)) check(arg, objectSafe(arg, ['detail']), `${name} options`);
            else if (ts.isSpreadElement(arg)) check(arg, elementsSafe(checker.getTypeAtLocation(arg.expression), []), `${name} buttons`);
            else check(arg, exprSafe(arg, 'text'), i === 0 ? `${name} message` : `${name} button`);
          });
        } else if (name === 'showQuickPick') {
          if (first) check(first, itemsSafe(first, ['label', 'description', 'detail']), 'quick pick items');
          if (second) check(second, objectSafe(second, ['title', 'placeHolder']), 'quick pick options');
        } else if (name === 'showInputBox') {
          if (first) check(first, objectSafe(first, ['title', 'prompt', 'placeHolder']), 'input box options');
        } else if (name === 'withProgress') {
          if (first) check(first, objectSafe(first, ['title']), 'progress title');
        } else if (name === 'appendMarkdown') {
          if (first) check(first, exprSafe(first, 'markdown'), 'appendMarkdown');
        } else if (/^create(QuickPick|InputBox)$|^registerHoverProvider$/.test(name)) {
          check(node, false, `${name} is not covered by this test yet: extend it`);
        }
      }
      if (ts.isNewExpression(node)) {
        const callee = node.expression.getText(source);
        const [first] = node.arguments ?? [];
        if (/(^|\.)MarkdownString$/.test(callee) && first) check(first, exprSafe(first, 'markdown'), 'MarkdownString');
        if (/(^|\.)Hover$/.test(callee)) check(node, false, 'Hover is not covered by this test yet: extend it');
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'tooltip') {
        const type = checker.getTypeAtLocation(node.right);
        check(node.right, !!(type.flags & ts.TypeFlags.Object) || exprSafe(node.right, 'text'), 'tooltip');
      }
      if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && /\bSafe(Text|Markdown)\b/.test(node.type.getText(source))) {
        check(node, false, 'a cast to a safe type: use src/core/views/safeText.ts');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { sinks, findings };
}

test('every notification, quick pick, input box, progress title, Markdown string and tooltip in src/host gets safe text', () => {
  const files = [...hostFiles(), join(repoRoot, 'src', 'extension.ts')];
  const program = makeProgram(files);
  const probe = audit(program, [PROBE]);
  assert.deepEqual(
    probe.findings.map((f) => f.what.split(':')[0]),
    ['showErrorMessage message', 'quick pick items', 'MarkdownString'],
    'the audit catches an unsafe notification, quick pick and Markdown string',
  );
  const real = audit(program, files);
  assert.ok(real.sinks >= 40, `found the call sites (${real.sinks})`);
  assert.deepEqual(real.findings, [], real.findings.map((f) => `${f.where} ${f.what}`).join('\n'));
});

test('only the status-bar text builder declares composed Markdown safe', () => {
  const users = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return users(path);
      return e.name.endsWith('.ts') && readFileSync(path, 'utf8').includes('composedMarkdown(') ? [relative(repoRoot, path)] : [];
    });
  assert.deepEqual(users(join(repoRoot, 'src')).sort(), ['src/core/views/safeText.ts', 'src/core/views/statusText.ts']);
});
