// Turns workspace events into annotations: file saves, tasks, debug sessions, and git branch switches and
// commits (through the built-in Git extension's API when it is there). No runtime VS Code import: the API
// object is passed in, so tests drive it with fake events.

import type { AnnotationInput, AnnotationLog } from '../../core/devloop/annotations';
import type { Event } from '../../core/events';
import type { Disposable } from '../../core/model';

export interface UriLike {
  readonly path: string;
}

interface TaskEventLike {
  readonly execution: { readonly task: { readonly name: string; readonly source: string } };
}

interface DebugSessionLike {
  readonly name: string;
  readonly type: string;
}

export interface ExtensionLike {
  readonly isActive: boolean;
  readonly exports: unknown;
  activate(): PromiseLike<unknown>;
}

/** The part of the VS Code API this needs; `typeof vscode` fits it with U = Uri. */
export interface AnnotationWatcherApi<U extends UriLike> {
  readonly workspace: {
    readonly onDidSaveTextDocument: Event<{ readonly uri: U }>;
    getWorkspaceFolder(uri: U): object | undefined;
    asRelativePath(pathOrUri: U, includeWorkspaceFolder?: boolean): string;
  };
  readonly tasks: {
    readonly onDidStartTask: Event<TaskEventLike>;
    readonly onDidEndTask: Event<TaskEventLike>;
  };
  readonly debug: {
    readonly onDidStartDebugSession: Event<DebugSessionLike>;
    readonly onDidTerminateDebugSession: Event<DebugSessionLike>;
  };
  readonly extensions: {
    getExtension(extensionId: string): ExtensionLike | undefined;
  };
}

// ---------------------------------------------------------------- the Git extension's API, as much as we use

interface GitBranch {
  readonly name?: string;
  readonly commit?: string;
}

interface GitRepository {
  readonly rootUri: UriLike;
  readonly state: { readonly HEAD: GitBranch | undefined; readonly onDidChange: Event<void> };
  getCommit?(ref: string): PromiseLike<{ readonly message: string }>;
}

interface GitApi {
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: Event<GitRepository>;
  readonly onDidCloseRepository: Event<GitRepository>;
}

interface GitExtension {
  readonly enabled?: boolean;
  readonly onDidChangeEnablement?: Event<boolean>;
  getAPI(version: 1): GitApi;
}

export const GIT_EXTENSION_ID = 'vscode.git';

export interface AnnotationWatcherOptions {
  readonly now?: () => number;
  /** Told when the Git API could not be used (the rest still works). */
  readonly onGitProblem?: (message: string) => void;
}

interface HeadMemory {
  branch: string | undefined;
  commit: string | undefined;
  readonly subscription: Disposable;
}

export class AnnotationWatcher<U extends UriLike> implements Disposable {
  private readonly subscriptions: Disposable[] = [];
  private readonly repositories = new Map<GitRepository, HeadMemory>();
  private gitApi: GitApi | undefined;
  private disposed = false;
  private readonly now: () => number;
  /** Settles once the Git extension has been hooked up (or found missing). */
  readonly ready: Promise<void>;

  constructor(
    private readonly api: AnnotationWatcherApi<U>,
    private readonly log: AnnotationLog,
    private readonly options: AnnotationWatcherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const { workspace, tasks, debug } = api;
    this.subscriptions.push(
      workspace.onDidSaveTextDocument((doc) => this.onSave(doc.uri)),
      tasks.onDidStartTask((e) => this.add({ kind: 'task-start', label: `Task started: ${e.execution.task.name}`, detail: e.execution.task.source })),
      tasks.onDidEndTask((e) => this.add({ kind: 'task-end', label: `Task ended: ${e.execution.task.name}`, detail: e.execution.task.source })),
      debug.onDidStartDebugSession((s) => this.add({ kind: 'debug-start', label: `Debug session started: ${s.name}`, detail: s.type })),
      debug.onDidTerminateDebugSession((s) => this.add({ kind: 'debug-end', label: `Debug session ended: ${s.name}`, detail: s.type })),
    );
    this.ready = this.hookGit().catch((e: unknown) => this.options.onGitProblem?.(`Git annotations are off: ${e instanceof Error ? e.message : String(e)}`));
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const memory of this.repositories.values()) memory.subscription.dispose();
    this.repositories.clear();
  }

  private add(input: Omit<AnnotationInput, 'at'>, at = this.now()): void {
    if (!this.disposed) this.log.add({ ...input, at });
  }

  private onSave(uri: U): void {
    if (this.api.workspace.getWorkspaceFolder(uri) === undefined) return; // user settings, files outside the workspace
    if (/(^|\/)\.git\//.test(uri.path)) return; // COMMIT_EDITMSG and friends
    if (/(^|\/)\.vscode\//.test(uri.path)) return; // settings edits (also Pulse's own) are not code changes
    this.add({ kind: 'save', label: `Saved ${this.api.workspace.asRelativePath(uri)}` });
  }

  // ---------------------------------------------------------------- git

  private async hookGit(): Promise<void> {
    const extension = this.api.extensions.getExtension(GIT_EXTENSION_ID);
    if (extension === undefined) return;
    const exports = extension.isActive ? extension.exports : await extension.activate();
    const git = asGitExtension(exports);
    if (git === undefined || this.disposed) return;
    if (git.enabled === false && git.onDidChangeEnablement) {
      // git.enabled is off; hook up if the user turns it on.
      const sub = git.onDidChangeEnablement((enabled) => {
        if (enabled && this.gitApi === undefined && !this.disposed) this.useGitApi(git.getAPI(1));
      });
      this.subscriptions.push(sub);
      return;
    }
    this.useGitApi(git.getAPI(1));
  }

  private useGitApi(api: GitApi): void {
    this.gitApi = api;
    this.subscriptions.push(
      api.onDidOpenRepository((repo) => this.watchRepository(repo)),
      api.onDidCloseRepository((repo) => {
        this.repositories.get(repo)?.subscription.dispose();
        this.repositories.delete(repo);
      }),
    );
    for (const repo of api.repositories) this.watchRepository(repo);
  }

  private watchRepository(repo: GitRepository): void {
    if (this.disposed || this.repositories.has(repo)) return;
    const head = repo.state.HEAD;
    const memory: HeadMemory = {
      branch: head?.name,
      commit: head?.commit,
      subscription: repo.state.onDidChange(() => this.onHeadChange(repo)),
    };
    this.repositories.set(repo, memory);
  }

  private onHeadChange(repo: GitRepository): void {
    const memory = this.repositories.get(repo);
    const head = repo.state.HEAD;
    if (memory === undefined || head === undefined || (head.name === undefined && head.commit === undefined)) return;
    const { branch: previousBranch, commit: previousCommit } = memory;
    memory.branch = head.name;
    memory.commit = head.commit;
    // The repository's state is first loaded after it opens: that is a baseline, not an event.
    if (previousBranch === undefined && previousCommit === undefined) return;

    const where = this.repositoryNote(repo);
    if (head.name !== previousBranch) {
      const label = head.name !== undefined ? `Switched to branch ${head.name}${where}` : `Detached HEAD at ${short(head.commit)}${where}`;
      this.add(previousBranch !== undefined ? { kind: 'git-branch', label, detail: `from ${previousBranch}` } : { kind: 'git-branch', label });
    } else if (head.commit !== undefined && head.commit !== previousCommit) {
      this.addCommit(repo, head.commit, head.name, where);
    }
  }

  private addCommit(repo: GitRepository, commit: string, branch: string | undefined, where: string): void {
    const at = this.now();
    const label = `Commit ${short(commit)}${branch !== undefined ? ` on ${branch}` : ''}${where}`;
    if (repo.getCommit === undefined) {
      this.add({ kind: 'git-commit', label }, at);
      return;
    }
    // The subject line makes the hover useful; without it the annotation is still worth having.
    repo.getCommit(commit).then(
      (c) => this.add({ kind: 'git-commit', label, detail: c.message.split('\n', 1)[0] ?? '' }, at),
      () => this.add({ kind: 'git-commit', label }, at),
    );
  }

  private repositoryNote(repo: GitRepository): string {
    if ((this.gitApi?.repositories.length ?? 0) <= 1) return '';
    const name = repo.rootUri.path.split('/').filter(Boolean).pop();
    return name === undefined ? '' : ` in ${name}`;
  }
}

function short(commit: string | undefined): string {
  return (commit ?? '').slice(0, 7);
}

/** The Git extension's exports are another extension's object: check the shape before trusting it. */
function asGitExtension(exports: unknown): GitExtension | undefined {
  if (typeof exports !== 'object' || exports === null) return undefined;
  return typeof (exports as { getAPI?: unknown }).getAPI === 'function' ? (exports as GitExtension) : undefined;
}
