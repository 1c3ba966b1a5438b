// The panel's own words in VS Code's display language: the host hands over its l10n bundle (the same file
// `npx @vscode/l10n-dev export` writes for host and webview alike); a message missing from it stays English.

let bundle: ReadonlyMap<string, string> = new Map();

/** Takes the host's bundle; anything that is not a string-to-string map is ignored (English stays). */
export function useBundle(contents: unknown): void {
  const next = new Map<string, string>();
  if (typeof contents === 'object' && contents !== null && !Array.isArray(contents)) {
    for (const [k, v] of Object.entries(contents)) if (typeof v === 'string') next.set(k, v);
  }
  bundle = next;
}

/** `l10n.t('Paused {0}', n)`: the translated message with `{0}`, `{1}` … replaced by the values, as text. */
export const l10n = {
  t(message: string, ...values: readonly (string | number)[]): string {
    const text = bundle.get(message) ?? message;
    return text.replace(/\{(\d+)\}/g, (all, i: string) => {
      const v = values[Number(i)];
      return v === undefined ? all : String(v);
    });
  },
};
