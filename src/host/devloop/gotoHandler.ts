// "Go to Handler": finds where an endpoint's route is registered in the workspace and opens it.
// No runtime VS Code import: the API object is passed in (tests pass fakes).

import { closeContenders, findRouteRegistrations, languageOf, normalizePath, rankMatches } from '../../core/devloop/routes';
import type { FileMatches, RankedMatch } from '../../core/devloop/routes';
import { english, plainText, safe, translator } from '../../core/views/safeText';
import type { SafeText, Translate } from '../../core/views/safeText';
export const SOURCE_GLOB = '**/*.{ts,js,mjs,cjs,tsx,jsx,go,py}';
export const EXCLUDE_GLOB = '**/{node_modules,dist,out,build,.git,vendor,.venv,venv,__pycache__,coverage}/**';

/** Quick pick fields render $(icon) syntax: only text that went through src/core/views/safeText.ts. */
export interface PickItem {
  readonly label: SafeText;
  readonly description?: SafeText;
  readonly detail?: SafeText;
}

export interface PickOptions {
  readonly title?: SafeText;
  readonly placeHolder?: SafeText;
  readonly matchOnDescription?: boolean;
}

/** The part of the VS Code API this needs; `typeof vscode` fits it with U = Uri, R = Range. */
export interface GoToHandlerApi<U, R> {
  readonly workspace: {
    findFiles(include: string, exclude: string | null | undefined, maxResults?: number): PromiseLike<readonly U[]>;
    readonly fs: { readFile(uri: U): PromiseLike<Uint8Array> };
    asRelativePath(pathOrUri: U, includeWorkspaceFolder?: boolean): string;
  };
  readonly window: {
    showTextDocument(uri: U, options?: { readonly selection?: R; readonly preview?: boolean; readonly viewColumn?: number }): PromiseLike<unknown>;
    showQuickPick<T extends PickItem>(items: readonly T[], options?: PickOptions): PromiseLike<T | undefined>;
    showInformationMessage(message: SafeText): PromiseLike<unknown>;
  };
  readonly Range: new (startLine: number, startCharacter: number, endLine: number, endCharacter: number) => R;
  /** vscode.l10n: the words in the user's language (English without it). */
  readonly l10n?: { readonly t: Translate };
}

export interface RouteTarget {
  readonly method?: string;
  readonly path: string;
}

export interface GoToHandlerOptions {
  readonly maxFiles?: number;
  /** Larger files (bundles, generated code) are skipped. */
  readonly maxFileBytes?: number;
  /** Matches within this many points of the best are offered in a pick list. */
  readonly margin?: number;
}

export type GoToHandlerOutcome = 'opened' | 'cancelled' | 'none';

const READ_CONCURRENCY = 32;

export async function goToHandler<U, R>(api: GoToHandlerApi<U, R>, target: RouteTarget, options: GoToHandlerOptions = {}): Promise<GoToHandlerOutcome> {
  const path = normalizePath(target.path);
  const method = target.method?.trim().toUpperCase() || undefined;
  const what = plainText(method ? `${method} ${path}` : path);
  const words = api.l10n;
  const l10n = translator(words ? (m, ...args) => words.t(m, ...args) : english);

  const ranked = await searchWorkspace(api, path, method, options);
  const contenders = closeContenders(ranked, options.margin ?? 8).slice(0, 20);
  if (contenders.length === 0) {
    // The path comes from a server (or the panel): no link or command may survive in the message.
    await api.window.showInformationMessage(l10n.t('No handler found for {0}.', what));
    return 'none';
  }
  let choice: RankedMatch<U> | undefined = contenders[0];
  if (contenders.length > 1) {
    const items = contenders.map((r) => ({ label: safe`${r.path}:${r.match.line + 1}`, description: safe`${r.match.preview}`, ranked: r }));
    const picked = await api.window.showQuickPick(items, { title: l10n.t('Handlers for {0}', what), placeHolder: l10n.t('Several registrations match; pick one'), matchOnDescription: true });
    choice = picked?.ranked;
  }
  if (choice === undefined) return 'cancelled';
  const { line, column } = choice.match;
  // The first editor group: the metrics panel usually sits beside it and stays visible.
  await api.window.showTextDocument(choice.file, { selection: new api.Range(line, column, line, column), preview: true, viewColumn: 1 });
  return 'opened';
}

async function searchWorkspace<U, R>(api: GoToHandlerApi<U, R>, path: string, method: string | undefined, options: GoToHandlerOptions): Promise<RankedMatch<U>[]> {
  const uris = await api.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB, options.maxFiles ?? 2000);
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const decoder = new TextDecoder('utf-8');
  const found: FileMatches<U>[] = [];
  for (let i = 0; i < uris.length; i += READ_CONCURRENCY) {
    await Promise.all(
      uris.slice(i, i + READ_CONCURRENCY).map(async (uri) => {
        let bytes: Uint8Array;
        try {
          bytes = await api.workspace.fs.readFile(uri);
        } catch {
          return; // deleted or unreadable since findFiles: not worth reporting
        }
        if (bytes.byteLength > maxBytes) return;
        const relative = api.workspace.asRelativePath(uri, false);
        const matches = findRouteRegistrations(decoder.decode(bytes), path, method, { language: languageOf(relative) });
        if (matches.length > 0) found.push({ file: uri, path: relative, matches });
      }),
    );
  }
  return rankMatches(found);
}
