// Untrusted text (server names, labels and messages, settings, file contents) made inert for the VS Code
// APIs that parse links, Markdown or $(icon) syntax: notifications, quick picks, input boxes, tooltips.

/** Text with every untrusted part passed through plainText (or the safe`` tag): no link, command or icon syntax. */
export type SafeText = string & { readonly __pulseSafe: 'text' };
/** Markdown whose untrusted parts all went through markdownText. */
export type SafeMarkdown = string & { readonly __pulseSafe: 'markdown' };

// Control, zero-width, line-separator and bidi characters: they reorder or hide what the user reads.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// `[x](command:…)` is a link in notifications; `$(name)` is an icon in quick picks and the status bar.
// Only the character that starts the syntax is swapped for a lookalike, so "heap (bun)" stays as it is
// (fullwidth parentheses are wide, and fonts without CJK forms draw them as boxes).
const SYNTAX = /\$(?=\()|\](?=\()/g;
const LOOKALIKE: Readonly<Record<string, string>> = { $: '＄', ']': '］' };
// `command:…`, `file:///…`, `https://…`, `vscode://…`: a scheme followed directly by its body (not a port).
const SCHEME = /\b([a-z][a-z0-9+.-]{0,31}):(?=[^\s\d])/gi;

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never split a surrogate pair
  return `${text.slice(0, end)}…`;
}

/**
 * Untrusted text for a plain-text API (notification, quick pick, input box, status bar text): one line,
 * at most `max` characters, the `$` of `$(` and the `]` of `](` replaced by fullwidth lookalikes, and the
 * colon of any URI scheme replaced by a fullwidth colon, so nothing in it is parsed as a link, command or icon.
 */
export function plainText(text: string, max = 300): SafeText {
  const oneLine = cut(text.replace(INVISIBLE, ' '), max);
  return oneLine.replace(SYNTAX, (c) => LOOKALIKE[c] ?? c).replace(SCHEME, '$1：') as SafeText;
}

/** A template whose literal parts are ours and whose every interpolated value goes through plainText. */
export function safe(parts: TemplateStringsArray, ...values: readonly (string | number | boolean | null | undefined)[]): SafeText {
  let out = parts[0] ?? '';
  values.forEach((value, i) => {
    out += (typeof value === 'string' ? plainText(value) : String(value)) + (parts[i + 1] ?? '');
  });
  return out as SafeText;
}

/** A constant of ours (a literal type: never a value computed at run time), e.g. '$(check-all) All sources'. */
export function constant<T extends string>(text: string extends T ? never : T): SafeText {
  return text as string as SafeText;
}

/** Safe pieces joined into one. */
export function joinSafe(...parts: readonly SafeText[]): SafeText {
  return parts.join('') as SafeText;
}

/** Untrusted text inside Markdown: one line, at most `max` characters, every Markdown/HTML/link character escaped. */
export function markdownText(text: string, max = 160): SafeMarkdown {
  const oneLine = cut(text.replace(INVISIBLE, ' '), max);
  return oneLine.replace(/[\\`*_{}[\]()#+\-.!|<>&~:$]/g, (c) => `\\${c}`) as SafeMarkdown;
}

/**
 * Marks Markdown composed only of our constants and markdownText() output as safe. Only for a builder
 * that escapes every untrusted part (src/core/views/statusText.ts); test/unit/host/safeTextSites.test.ts lists the callers.
 */
export function composedMarkdown(markdown: string): SafeMarkdown {
  return markdown as SafeMarkdown;
}

/** vscode.l10n.t's shape: one of our messages and the values of its `{0}`, `{1}`… */
export type Translate = (message: string, ...args: (string | number)[]) => string;

/** The messages as written (English), `{0}`… filled: for code run without VS Code, and tests. */
export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : String(v);
  });

/** `t` turns one of our constant messages into safe text in the user's language. */
export interface Translator {
  t<T extends string>(message: string extends T ? never : T, ...values: readonly (SafeText | number)[]): SafeText;
}

/**
 * A Translator over `translate` (vscode.l10n.t in the host: its text comes from our own bundle, never from a
 * server). Every value filling a `{0}` must already be safe text (plainText) or a number.
 */
export function translator(translate: Translate): Translator {
  return { t: (message, ...values) => translate(message, ...values) as SafeText };
}
