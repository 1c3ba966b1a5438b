// Small fakes of the VS Code API pieces the code-aware adapters use.
import { Emitter } from '../../../../src/core/events';

export interface FakeUri {
  readonly path: string;
}

export const uri = (path: string): FakeUri => ({ path });

export class FakeRepository {
  readonly changed = new Emitter<void>();
  readonly commits = new Map<string, string>();

  constructor(
    readonly rootUri: FakeUri,
    public HEAD?: { name?: string; commit?: string },
  ) {}

  get state(): { readonly HEAD: { name?: string; commit?: string } | undefined; readonly onDidChange: Emitter<void>['event'] } {
    return { HEAD: this.HEAD, onDidChange: this.changed.event };
  }

  /** Moves HEAD and fires the change, as the Git extension does after a checkout or commit. */
  move(head: { name?: string; commit?: string }): void {
    this.HEAD = head;
    this.changed.fire();
  }

  getCommit(ref: string): Promise<{ message: string }> {
    const message = this.commits.get(ref);
    return message === undefined ? Promise.reject(new Error('unknown commit')) : Promise.resolve({ message });
  }
}
