// An in-memory stand-in for the `vscode` module, covering the API surface Pulse's host uses, with
// recorders for what the extension did (status bar text, posted messages, log lines, dialogs) and
// levers for what the user or VS Code would do (answer dialogs, change settings, fire webview messages).
// `loadExtension` requires a real bundle (dist/extension.js) with this fake installed as 'vscode'.

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pollUntil } from './wait';

/** The repository root: the nearest folder up from here with Pulse's package.json (also when bundled elsewhere). */
export const repoRoot = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"pulse-metrics"/.test(readFileSync(pkg, 'utf8'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..', '..');
  }
}

// ------------------------------------------------------------------ basics

type L10nArgs = readonly (string | number | boolean)[] | Readonly<Record<string, unknown>>;

/**
 * vscode.l10n.t with no bundle (English): `{0}` or `{name}` filled from the arguments, a placeholder without
 * one left as it is. Takes the message and its arguments, a message and one object, or `{ message, args }`.
 */
export function l10nT(first: string | { message: string; args?: L10nArgs; comment?: string | string[] }, ...rest: unknown[]): string {
  const message = typeof first === 'string' ? first : first.message;
  const given = typeof first === 'string' ? (rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : rest) : (first.args ?? []);
  const args = given as Readonly<Record<string, unknown>>;
  return message.replace(/\{(\w+)\}/g, (m, key: string) => {
    const v = args[key];
    return v === undefined || v === null ? m : String(v);
  });
}

export type Listener<T> = (e: T) => unknown;
export type FakeEvent<T> = (listener: Listener<T>, thisArg?: unknown, disposables?: FakeDisposable[]) => FakeDisposable;

export class FakeDisposable {
  private done = false;
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): FakeDisposable {
    return new FakeDisposable(() => {
      for (const d of items) d.dispose();
    });
  }
  dispose(): void {
    if (this.done) return;
    this.done = true;
    this.onDispose();
  }
}

export class FakeEventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event: FakeEvent<T> = (listener, thisArg, disposables) => {
    const bound: Listener<T> = thisArg === undefined ? listener : (e) => listener.call(thisArg, e);
    this.listeners.add(bound);
    const d = new FakeDisposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** An event nothing in the fake ever fires. */
function never<T>(): FakeEvent<T> {
  return new FakeEventEmitter<T>().event;
}

export class FakeUri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  static file(path: string): FakeUri {
    return new FakeUri('file', '', resolve(path).replace(/\\/g, '/'));
  }
  static parse(value: string): FakeUri {
    const u = new URL(value);
    return new FakeUri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  static from(parts: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): FakeUri {
    return new FakeUri(parts.scheme, parts.authority ?? '', parts.path ?? '/', parts.query ?? '', parts.fragment ?? '');
  }
  static joinPath(base: FakeUri, ...segments: string[]): FakeUri {
    return base.with({ path: join(base.path, ...segments).replace(/\\/g, '/') });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): FakeUri {
    return new FakeUri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    const q = this.query ? `?${this.query}` : '';
    const f = this.fragment ? `#${this.fragment}` : '';
    return `${this.scheme}://${this.authority}${encodeURI(this.path)}${q}${f}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export class FakeThemeColor {
  constructor(readonly id: string) {}
}

export class FakeThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: FakeThemeColor,
  ) {}
}

export class FakeMarkdownString {
  isTrusted: boolean | { enabledCommands: string[] } = false;
  supportHtml = false;
  supportThemeIcons: boolean;
  constructor(
    public value = '',
    supportThemeIcons = false,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class FakePosition {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class FakeRange {
  readonly start: FakePosition;
  readonly end: FakePosition;
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    this.start = new FakePosition(startLine, startCharacter);
    this.end = new FakePosition(endLine, endCharacter);
  }
}

export class FakeSelection extends FakeRange {}

export class FakeCancellationTokenSource {
  private readonly emitter = new FakeEventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class FakeTreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | FakeMarkdownString;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: unknown;
  constructor(
    public label: string | { label: string },
    public collapsibleState: number = 0,
  ) {}
}

export interface FakeTreeDataProvider {
  getChildren(element?: unknown): unknown;
  getTreeItem(element: unknown): unknown;
  onDidChangeTreeData?: FakeEvent<unknown>;
}

export class FakeTreeView {
  visible = true;
  badge: { value: number; tooltip: string } | undefined;
  message: string | undefined;
  title: string | undefined;
  description: string | undefined;
  disposed = false;
  /** onDidChangeTreeData events seen so far. */
  changes = 0;
  private readonly visibility = new FakeEventEmitter<{ visible: boolean }>();
  readonly onDidChangeVisibility = this.visibility.event;
  readonly onDidChangeSelection = never<unknown>();
  readonly onDidExpandElement = never<unknown>();
  readonly onDidCollapseElement = never<unknown>();
  readonly selection: unknown[] = [];
  constructor(
    readonly id: string,
    readonly provider: FakeTreeDataProvider,
  ) {
    provider.onDidChangeTreeData?.(() => this.changes++);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.visibility.fire({ visible });
  }
  /** The tree as VS Code would render it: every element's TreeItem, depth first. */
  async items(parent?: unknown): Promise<{ element: unknown; item: FakeTreeItem; children: unknown[] }[]> {
    const children = ((await this.provider.getChildren(parent)) as unknown[] | undefined) ?? [];
    const out: { element: unknown; item: FakeTreeItem; children: unknown[] }[] = [];
    for (const element of children) {
      const item = (await this.provider.getTreeItem(element)) as FakeTreeItem;
      out.push({ element, item, children: item.collapsibleState ? ((await this.provider.getChildren(element)) as unknown[] | undefined) ?? [] : [] });
    }
    return out;
  }
  reveal(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): void {
    this.disposed = true;
  }
}

const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;
const StatusBarAlignment = { Left: 1, Right: 2 } as const;
const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 } as const;
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 } as const;
const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 } as const;
const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 } as const;
const ExtensionMode = { Production: 1, Development: 2, Test: 3 } as const;

// ------------------------------------------------------------------ window parts

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'append';

export interface LogLine {
  readonly level: LogLevelName;
  readonly message: string;
  readonly at: number;
}

export class FakeOutputChannel {
  readonly lines: LogLine[] = [];
  logLevel: number = LogLevel.Info;
  readonly onDidChangeLogLevel = never<number>();
  shown = 0;
  disposed = false;
  constructor(readonly name: string) {}
  private add(level: LogLevelName, message: string): void {
    this.lines.push({ level, message, at: Date.now() });
  }
  trace(message: string): void {
    this.add('trace', message);
  }
  debug(message: string): void {
    this.add('debug', message);
  }
  info(message: string): void {
    this.add('info', message);
  }
  warn(message: string): void {
    this.add('warn', message);
  }
  error(message: string | Error): void {
    this.add('error', message instanceof Error ? message.message : message);
  }
  append(value: string): void {
    this.add('append', value);
  }
  appendLine(value: string): void {
    this.add('append', value);
  }
  replace(value: string): void {
    this.lines.length = 0;
    this.add('append', value);
  }
  clear(): void {
    this.lines.length = 0;
  }
  show(): void {
    this.shown++;
  }
  hide(): void {
    // nothing to hide
  }
  dispose(): void {
    this.disposed = true;
  }
  /** Lines at `level` (all levels when omitted) whose text matches. */
  find(pattern: RegExp, level?: LogLevelName): LogLine[] {
    return this.lines.filter((l) => (level === undefined || l.level === level) && pattern.test(l.message));
  }
}

export class FakeStatusBarItem {
  /** Every text set, with when. */
  readonly texts: { readonly at: number; readonly text: string }[] = [];
  tooltip: string | FakeMarkdownString | undefined;
  backgroundColor: FakeThemeColor | undefined;
  color: string | FakeThemeColor | undefined;
  name: string | undefined;
  command: unknown;
  accessibilityInformation: unknown;
  visible = false;
  disposed = false;
  private value = '';
  constructor(
    readonly id: string,
    readonly alignment: number,
    readonly priority: number | undefined,
  ) {}
  get text(): string {
    return this.value;
  }
  set text(value: string) {
    this.value = value;
    this.texts.push({ at: Date.now(), text: value });
  }
  get tooltipText(): string {
    return typeof this.tooltip === 'string' ? this.tooltip : (this.tooltip?.value ?? '');
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
    this.visible = false;
  }
}

export interface PostedMessage {
  readonly message: unknown;
  readonly bytes: number;
  readonly at: number;
}

export class FakeWebview {
  html = '';
  options: unknown;
  readonly cspSource = 'https://*.vscode-cdn.net';
  readonly posted: PostedMessage[] = [];
  postedBytes = 0;
  private readonly received = new FakeEventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  constructor(options: unknown) {
    this.options = options;
  }
  asWebviewUri(uri: FakeUri): FakeUri {
    return FakeUri.from({ scheme: 'https', authority: 'file+.vscode-resource.vscode-cdn.net', path: uri.path });
  }
  postMessage(message: unknown): Promise<boolean> {
    // VS Code serialises every message to JSON on its way to the webview; count those bytes.
    const bytes = Buffer.byteLength(JSON.stringify(message) ?? '');
    this.posted.push({ message, bytes, at: Date.now() });
    this.postedBytes += bytes;
    return Promise.resolve(true);
  }
  /** What the page would post with acquireVsCodeApi().postMessage. */
  fire(message: unknown): void {
    this.received.fire(message);
  }
  /** Posted messages of a type (`didSnapshot`, `didUpdate`, …). */
  messagesOfType(type: string): PostedMessage[] {
    return this.posted.filter((p) => typeOf(p.message) === type);
  }
  /** A list the panel shows (`sources`, `alerts`, …) as the page last heard of it: from the snapshot, replaced by each delta that carries it. */
  lastList(field: string): unknown[] {
    let list: unknown[] = [];
    for (const { message } of this.posted) {
      const value = prop(prop(message, typeOf(message) === 'didSnapshot' ? 'snapshot' : 'delta'), field);
      if (Array.isArray(value)) list = value;
    }
    return list;
  }
}

function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function typeOf(message: unknown): unknown {
  return prop(message, 'type');
}

export class FakeWebviewPanel {
  readonly webview: FakeWebview;
  visible = true;
  active = true;
  disposed = false;
  iconPath: unknown;
  title: string;
  viewColumn: number | undefined;
  private readonly disposeEmitter = new FakeEventEmitter<void>();
  private readonly viewState = new FakeEventEmitter<{ webviewPanel: FakeWebviewPanel }>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewState.event;
  reveals = 0;
  constructor(
    readonly viewType: string,
    title: string,
    column: number | undefined,
    readonly options: unknown,
  ) {
    this.title = title;
    this.viewColumn = column;
    this.webview = new FakeWebview(options);
  }
  reveal(column?: number): void {
    this.reveals++;
    if (column !== undefined) this.viewColumn = column;
    this.setVisible(true);
  }
  /** The user switched tabs (false) or back (true). */
  setVisible(visible: boolean): void {
    if (this.disposed || this.visible === visible) return;
    this.visible = visible;
    this.active = visible;
    this.viewState.fire({ webviewPanel: this });
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.visible = false;
    this.disposeEmitter.fire();
  }
}

// ------------------------------------------------------------------ dialogs

export type DialogKind = 'information' | 'warning' | 'error' | 'quickPick' | 'inputBox' | 'saveDialog' | 'openDialog';

export interface DialogRecord {
  readonly kind: DialogKind;
  readonly message: string;
  readonly items: readonly unknown[];
  readonly options: unknown;
}

/** Decides what the user answers; return undefined to dismiss. Defaults dismiss everything. */
export interface DialogAnswers {
  message(kind: 'information' | 'warning' | 'error', message: string, items: readonly unknown[]): unknown;
  quickPick(items: readonly unknown[], options: unknown): unknown;
  inputBox(options: unknown): string | undefined;
  saveDialog(options: unknown): FakeUri | undefined;
  openDialog(options: unknown): FakeUri[] | undefined;
}

// ------------------------------------------------------------------ configuration

type Scope = 'user' | 'workspace' | 'workspaceFolder';

export interface ConfigChangeEvent {
  affectsConfiguration(section: string, scope?: unknown): boolean;
}

function readDefaults(): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  try {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } } };
    for (const [key, schema] of Object.entries(pkg.contributes?.configuration?.properties ?? {})) {
      if ('default' in schema) defaults.set(key, schema.default);
    }
  } catch {
    // no package.json defaults: every get() falls back to its own default
  }
  return defaults;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// ------------------------------------------------------------------ the fake

export interface FakeOptions {
  readonly trusted?: boolean;
  /** Absolute folder paths; none by default. */
  readonly workspaceFolders?: readonly string[];
  /** Full keys, e.g. `pulse.sources`. */
  readonly user?: Record<string, unknown>;
  readonly workspace?: Record<string, unknown>;
  /** vscode.l10n.bundle: the display language's messages (l10n.t translates through it); English when absent. */
  readonly l10nBundle?: Readonly<Record<string, string>>;
}

export interface ExecutedCommand {
  readonly command: string;
  readonly args: readonly unknown[];
}

export class FakeVscode {
  readonly channels: FakeOutputChannel[] = [];
  readonly statusBarItems: FakeStatusBarItem[] = [];
  readonly panels: FakeWebviewPanel[] = [];
  readonly serializers = new Map<string, { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Thenable<void> | Promise<void> }>();
  readonly commands = new Map<string, (...args: unknown[]) => unknown>();
  /** Every executeCommand call, registered or not. */
  readonly executed: ExecutedCommand[] = [];
  readonly dialogs: DialogRecord[] = [];
  readonly shownDocuments: unknown[] = [];
  readonly treeViews = new Map<string, FakeTreeView>();
  /** Values set with executeCommand('setContext', key, value). */
  readonly contextKeys = new Map<string, unknown>();
  /** Texts shown with window.setStatusBarMessage. */
  readonly statusMessages: string[] = [];
  readonly config: Record<Scope, Map<string, unknown>> = { user: new Map(), workspace: new Map(), workspaceFolder: new Map() };
  readonly defaults = readDefaults();
  answers: DialogAnswers = {
    message: () => undefined,
    quickPick: () => undefined,
    inputBox: () => undefined,
    saveDialog: () => undefined,
    openDialog: () => undefined,
  };
  trusted: boolean;
  readonly l10nBundle: Readonly<Record<string, string>> | undefined;
  workspaceFolders: { readonly uri: FakeUri; readonly name: string; readonly index: number }[] | undefined;
  activeTextEditor: unknown = undefined;
  /** What env.clipboard holds (writeText replaces it). */
  clipboardText = '';

  private readonly configChanged = new FakeEventEmitter<ConfigChangeEvent>();
  private readonly trustGranted = new FakeEventEmitter<void>();
  readonly documentSaved = new FakeEventEmitter<{ uri: FakeUri }>();

  constructor(options: FakeOptions = {}) {
    this.trusted = options.trusted ?? true;
    this.l10nBundle = options.l10nBundle;
    this.workspaceFolders = options.workspaceFolders?.map((p, index) => ({ uri: FakeUri.file(p), name: p.split('/').pop() ?? p, index }));
    for (const [k, v] of Object.entries(options.user ?? {})) this.config.user.set(k, clone(v));
    for (const [k, v] of Object.entries(options.workspace ?? {})) this.config.workspace.set(k, clone(v));
  }

  /** Sets a setting as the user would in the Settings editor (fires onDidChangeConfiguration). */
  setConfig(scope: Scope, key: string, value: unknown): void {
    if (value === undefined) this.config[scope].delete(key);
    else this.config[scope].set(key, clone(value));
    this.configChanged.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) || section.startsWith(`${key}.`) });
  }

  grantTrust(): void {
    if (this.trusted) return;
    this.trusted = true;
    this.trustGranted.fire();
  }

  /** The single output channel (Pulse creates one); throws when there is none. */
  get log(): FakeOutputChannel {
    const c = this.channels[0];
    if (!c) throw new Error('no output channel was created');
    return c;
  }

  get panel(): FakeWebviewPanel | undefined {
    return this.panels.filter((p) => !p.disposed).at(-1);
  }

  private configuration(section: string | undefined) {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    const lookup = (key: string): unknown => {
      const k = full(key);
      for (const scope of ['workspaceFolder', 'workspace', 'user'] as const) {
        if (this.config[scope].has(k)) return clone(this.config[scope].get(k));
      }
      return clone(this.defaults.get(k));
    };
    return {
      get: (key: string, fallback?: unknown): unknown => {
        const v = lookup(key);
        return v === undefined ? fallback : v;
      },
      has: (key: string): boolean => lookup(key) !== undefined,
      inspect: (key: string) => {
        const k = full(key);
        return {
          key: k,
          defaultValue: clone(this.defaults.get(k)),
          globalValue: clone(this.config.user.get(k)),
          workspaceValue: clone(this.config.workspace.get(k)),
          workspaceFolderValue: clone(this.config.workspaceFolder.get(k)),
        };
      },
      update: (key: string, value: unknown, target?: number | boolean | null): Promise<void> => {
        const scope: Scope =
          target === true || target === ConfigurationTarget.Global || ((target === undefined || target === null) && !this.workspaceFolders?.length)
            ? 'user'
            : target === ConfigurationTarget.WorkspaceFolder
              ? 'workspaceFolder'
              : 'workspace';
        this.setConfig(scope, full(key), value);
        return Promise.resolve();
      },
    };
  }

  private message(kind: 'information' | 'warning' | 'error') {
    return (message: string, ...rest: unknown[]): Promise<unknown> => {
      const first = rest[0];
      const hasOptions = typeof first === 'object' && first !== null && !('title' in first);
      const items = hasOptions ? rest.slice(1) : rest;
      this.dialogs.push({ kind, message, items, options: hasOptions ? first : undefined });
      return Promise.resolve(this.answers.message(kind, message, items));
    };
  }

  /** Messages shown with show{Information,Warning,Error}Message. */
  shown(kind?: 'information' | 'warning' | 'error'): DialogRecord[] {
    return this.dialogs.filter((d) => (kind ? d.kind === kind : d.kind === 'information' || d.kind === 'warning' || d.kind === 'error'));
  }

  /** commands.executeCommand, also for tests (as a user running a command from the palette). */
  readonly executeCommand = async (command: string, ...args: unknown[]): Promise<unknown> => {
    this.executed.push({ command, args });
    if (command === 'setContext') this.contextKeys.set(String(args[0]), args[1]);
    const run = this.commands.get(command);
    return run ? await run(...args) : undefined;
  };

  /** The object `require('vscode')` returns inside the bundle. */
  get api(): Record<string, unknown> {
    const window = {
      createOutputChannel: (name: string) => {
        const c = new FakeOutputChannel(name);
        this.channels.push(c);
        return c;
      },
      createStatusBarItem: (...args: unknown[]) => {
        const withId = typeof args[0] === 'string';
        const id = withId ? String(args[0]) : `item${this.statusBarItems.length}`;
        const alignment = Number((withId ? args[1] : args[0]) ?? StatusBarAlignment.Left);
        const priority = (withId ? args[2] : args[1]) as number | undefined;
        const item = new FakeStatusBarItem(id, alignment, priority);
        this.statusBarItems.push(item);
        return item;
      },
      createWebviewPanel: (viewType: string, title: string, show: unknown, options: unknown) => {
        const column = typeof show === 'number' ? show : ((show as { viewColumn?: number } | undefined)?.viewColumn ?? ViewColumn.One);
        const panel = new FakeWebviewPanel(viewType, title, column, options);
        this.panels.push(panel);
        return panel;
      },
      registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }) => {
        this.serializers.set(viewType, serializer);
        return new FakeDisposable(() => this.serializers.delete(viewType));
      },
      createTreeView: (id: string, options: { treeDataProvider: FakeTreeDataProvider }) => {
        const view = new FakeTreeView(id, options.treeDataProvider);
        this.treeViews.set(id, view);
        return view;
      },
      registerTreeDataProvider: (id: string, provider: FakeTreeDataProvider) => {
        this.treeViews.set(id, new FakeTreeView(id, provider));
        return new FakeDisposable(() => this.treeViews.delete(id));
      },
      setStatusBarMessage: (text: string) => {
        this.statusMessages.push(text);
        return new FakeDisposable();
      },
      showInformationMessage: this.message('information'),
      showWarningMessage: this.message('warning'),
      showErrorMessage: this.message('error'),
      showQuickPick: (items: unknown, options?: unknown) =>
        Promise.resolve(items).then((list) => {
          const arr = Array.isArray(list) ? (list as unknown[]) : [];
          this.dialogs.push({ kind: 'quickPick', message: String((options as { title?: unknown } | undefined)?.title ?? ''), items: arr, options });
          return this.answers.quickPick(arr, options);
        }),
      showInputBox: (options?: unknown) => {
        this.dialogs.push({ kind: 'inputBox', message: String((options as { title?: unknown } | undefined)?.title ?? ''), items: [], options });
        return Promise.resolve(this.answers.inputBox(options));
      },
      showSaveDialog: (options?: unknown) => {
        this.dialogs.push({ kind: 'saveDialog', message: '', items: [], options });
        return Promise.resolve(this.answers.saveDialog(options));
      },
      showOpenDialog: (options?: unknown) => {
        this.dialogs.push({ kind: 'openDialog', message: '', items: [], options });
        return Promise.resolve(this.answers.openDialog(options));
      },
      showTextDocument: (doc: unknown) => {
        this.shownDocuments.push(doc);
        return Promise.resolve(undefined);
      },
      withProgress: <R>(_options: unknown, task: (progress: { report(value: unknown): void }, token: FakeCancellationTokenSource['token']) => Thenable<R> | Promise<R>) =>
        task({ report: () => undefined }, new FakeCancellationTokenSource().token),
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: never<unknown>(),
      onDidChangeWindowState: never<unknown>(),
      state: { focused: true },
    };
    Object.defineProperty(window, 'activeTextEditor', { enumerable: true, get: () => this.activeTextEditor });

    const workspace = {
      getConfiguration: (section?: string) => this.configuration(section),
      onDidChangeConfiguration: this.configChanged.event,
      onDidGrantWorkspaceTrust: this.trustGranted.event,
      getWorkspaceFolder: (uri: FakeUri) => this.workspaceFolders?.find((f) => !relative(f.uri.path, uri.path).startsWith('..')),
      asRelativePath: (pathOrUri: string | FakeUri) => {
        const path = typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.path;
        const folder = this.workspaceFolders?.find((f) => !relative(f.uri.path, path).startsWith('..'));
        return folder && isAbsolute(path) ? relative(folder.uri.path, path) : path;
      },
      findFiles: () => Promise.resolve([]),
      fs: {
        writeFile: async (uri: FakeUri, content: Uint8Array) => {
          await mkdir(dirname(uri.fsPath), { recursive: true });
          await writeFile(uri.fsPath, content);
        },
        readFile: async (uri: FakeUri) => new Uint8Array(await readFile(uri.fsPath)),
        stat: async (uri: FakeUri) => {
          const s = await stat(uri.fsPath);
          return { type: s.isDirectory() ? 2 : 1, ctime: s.ctimeMs, mtime: s.mtimeMs, size: s.size };
        },
        createDirectory: async (uri: FakeUri) => {
          await mkdir(uri.fsPath, { recursive: true });
        },
      },
      onDidSaveTextDocument: this.documentSaved.event,
      onDidOpenTextDocument: never<unknown>(),
      onDidCloseTextDocument: never<unknown>(),
      onDidChangeTextDocument: never<unknown>(),
      onDidChangeWorkspaceFolders: never<unknown>(),
      textDocuments: [],
    };
    Object.defineProperty(workspace, 'isTrusted', { enumerable: true, get: () => this.trusted });
    Object.defineProperty(workspace, 'workspaceFolders', { enumerable: true, get: () => this.workspaceFolders });

    return {
      window,
      workspace,
      commands: {
        registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
          if (this.commands.has(id)) throw new Error(`command '${id}' already exists`);
          this.commands.set(id, run);
          return new FakeDisposable(() => this.commands.delete(id));
        },
        executeCommand: this.executeCommand,
        getCommands: () => Promise.resolve([...this.commands.keys()]),
      },
      env: {
        appName: 'Fake VS Code',
        language: 'en',
        machineId: 'fake',
        uiKind: 1,
        clipboard: {
          readText: () => Promise.resolve(this.clipboardText),
          writeText: (text: string) => {
            this.clipboardText = text;
            return Promise.resolve();
          },
        },
        openExternal: () => Promise.resolve(true),
      },
      extensions: { getExtension: () => undefined, all: [], onDidChange: never<undefined>() },
      tasks: { onDidStartTask: never<unknown>(), onDidEndTask: never<unknown>() },
      debug: { onDidStartDebugSession: never<unknown>(), onDidTerminateDebugSession: never<unknown>() },
      l10n: {
        t: (first: Parameters<typeof l10nT>[0], ...rest: unknown[]) => {
          const message = typeof first === 'string' ? first : first.message;
          const translated = this.l10nBundle?.[message];
          return translated === undefined ? l10nT(first, ...rest) : l10nT(typeof first === 'string' ? translated : { ...first, message: translated }, ...rest);
        },
        bundle: this.l10nBundle,
        uri: undefined,
      },
      Uri: FakeUri,
      EventEmitter: FakeEventEmitter,
      Disposable: FakeDisposable,
      ThemeColor: FakeThemeColor,
      ThemeIcon: FakeThemeIcon,
      MarkdownString: FakeMarkdownString,
      TreeItem: FakeTreeItem,
      TreeItemCollapsibleState,
      Position: FakePosition,
      Range: FakeRange,
      Selection: FakeSelection,
      CancellationTokenSource: FakeCancellationTokenSource,
      StatusBarAlignment,
      ViewColumn,
      ConfigurationTarget,
      ProgressLocation,
      LogLevel,
      ExtensionMode,
    };
  }
}

// ------------------------------------------------------------------ extension context

/** A workspaceState/globalState: values are stored as JSON, as VS Code does, in a Map a later "reload" can reuse. */
export class FakeMemento {
  updates = 0;
  constructor(readonly map: Map<string, string> = new Map()) {}
  get<T>(key: string, fallback?: T): T | undefined {
    const text = this.map.get(key);
    return text === undefined ? fallback : (JSON.parse(text) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.updates++;
    const text = value === undefined ? undefined : JSON.stringify(value);
    if (text === undefined) this.map.delete(key);
    else this.map.set(key, text);
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
  setKeysForSync(): void {
    // not synced anywhere
  }
  /** Bytes the whole state takes as JSON (VS Code rewrites all of it on every update). */
  bytes(): number {
    let n = 0;
    for (const [k, v] of this.map) n += Buffer.byteLength(k) + Buffer.byteLength(v) + 6;
    return n;
  }
}

export class FakeSecretStorage {
  private readonly changed = new FakeEventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  constructor(readonly map: Map<string, string> = new Map()) {}
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    this.changed.fire({ key });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.map.delete(key);
    this.changed.fire({ key });
    return Promise.resolve();
  }
}

export interface ContextOptions {
  /** The per-workspace storage folder (context.storageUri). */
  readonly storageDir: string;
  /** workspaceState contents (JSON text by key); pass the previous context's `state` to "reload". */
  readonly state?: Map<string, string>;
  readonly globalState?: Map<string, string>;
  readonly secrets?: Map<string, string>;
}

export interface FakeContext {
  readonly subscriptions: { dispose(): unknown }[];
  readonly workspaceState: FakeMemento;
  readonly globalState: FakeMemento;
  readonly secrets: FakeSecretStorage;
  readonly storageUri: FakeUri;
  readonly globalStorageUri: FakeUri;
  readonly logUri: FakeUri;
  readonly extensionUri: FakeUri;
  readonly extensionPath: string;
  readonly extensionMode: number;
  readonly extension: { readonly id: string; readonly extensionUri: FakeUri; readonly extensionPath: string; readonly packageJSON: Record<string, unknown>; readonly isActive: boolean; readonly exports: unknown };
  asAbsolutePath(relativePath: string): string;
  /** The Map behind workspaceState, to hand to the next makeContext. */
  readonly state: Map<string, string>;
}

export function makeContext(options: ContextOptions): FakeContext {
  const packageJSON = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const state = options.state ?? new Map<string, string>();
  const extensionUri = FakeUri.file(repoRoot);
  return {
    subscriptions: [],
    workspaceState: new FakeMemento(state),
    globalState: new FakeMemento(options.globalState),
    secrets: new FakeSecretStorage(options.secrets),
    storageUri: FakeUri.file(options.storageDir),
    globalStorageUri: FakeUri.file(join(options.storageDir, '..', 'global')),
    logUri: FakeUri.file(join(options.storageDir, '..', 'logs')),
    extensionUri,
    extensionPath: repoRoot,
    extensionMode: ExtensionMode.Test,
    extension: { id: `${String(packageJSON.publisher)}.${String(packageJSON.name)}`, extensionUri, extensionPath: repoRoot, packageJSON, isActive: true, exports: undefined },
    asAbsolutePath: (p) => join(repoRoot, p),
    state,
  };
}

/** Disposes what activate() pushed onto context.subscriptions, as VS Code does after deactivate. */
export function disposeContext(context: FakeContext): void {
  for (const d of context.subscriptions.splice(0).reverse()) {
    try {
      d.dispose();
    } catch {
      // VS Code logs and carries on
    }
  }
}

// ------------------------------------------------------------------ loading the bundle

interface ModuleInternals {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

export interface LoadedExtension {
  activate(context: FakeContext): unknown;
  deactivate(): unknown;
}

const nodeRequire = createRequire(join(repoRoot, 'package.json'));
const VSCODE_ID = '\0fake-vscode';
let current: FakeVscode | undefined;
let hooked = false;

function installHook(): void {
  if (hooked) return;
  hooked = true;
  const Module = nodeRequire('node:module') as ModuleInternals;
  const load = Module._load;
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    if (request === 'vscode') return VSCODE_ID;
    return resolveFilename.call(this, request, parent, isMain, options);
  };
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode' || request === VSCODE_ID) {
      if (!current) throw new Error('vscode: no fake installed');
      return current.api;
    }
    return load.call(this, request, parent, isMain);
  };
}

function isFunction(x: unknown): x is (...args: unknown[]) => unknown {
  return typeof x === 'function';
}

/**
 * Requires a fresh copy of the bundle with `fake` as its `vscode` module. Each call evaluates the
 * bundle again, so module-level state (singletons) starts over, as in a reloaded extension host.
 */
export function loadExtension(bundlePath = 'dist/extension.js', fake: FakeVscode = new FakeVscode()): LoadedExtension {
  installHook();
  current = fake;
  const file = resolve(repoRoot, bundlePath);
  const cache = nodeRequire.cache;
  // The bundles it loads lazily (dist/panel.js, …) start over too: they hold the `vscode` they first got.
  for (const key of Object.keys(cache)) if (key === file || (dirname(key) === dirname(file) && key.endsWith('.js'))) Reflect.deleteProperty(cache, key);
  const exports = nodeRequire(file) as Record<string, unknown>;
  Reflect.deleteProperty(cache, file);
  const activate = exports.activate;
  const deactivate = exports.deactivate;
  if (!isFunction(activate)) throw new Error(`${bundlePath} exports no activate()`);
  return { activate: (context) => activate(context), deactivate: () => (isFunction(deactivate) ? deactivate() : undefined) };
}

// ------------------------------------------------------------------ waiting

/** Polls until `check` returns a value other than undefined/false, or throws after `timeoutMs`. */
export const waitFor = <T>(what: string, check: () => T | undefined | false, timeoutMs = 5000, everyMs = 20): Promise<T> => pollUntil(what, check, timeoutMs, everyMs);
