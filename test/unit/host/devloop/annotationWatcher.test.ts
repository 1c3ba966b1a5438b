import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { AnnotationLog } from '../../../../src/core/devloop/annotations';
import { Emitter } from '../../../../src/core/events';
import { AnnotationWatcher } from '../../../../src/host/devloop/annotationWatcher';
import type { AnnotationWatcherApi, ExtensionLike } from '../../../../src/host/devloop/annotationWatcher';
import { FakeRepository, uri } from './fakes';
import type { FakeUri } from './fakes';

// Compile-time: the real API fits the adapter's port.
type Fits<Port, Api extends Port> = Api;
export type _RealApiFits = Fits<AnnotationWatcherApi<vscode.Uri>, typeof vscode>;

type TaskEvent = { execution: { task: { name: string; source: string } } };
type Session = { name: string; type: string };

function setup(options: { git?: 'none' | 'active' | 'inactive'; repositories?: FakeRepository[] } = {}) {
  const saved = new Emitter<{ uri: FakeUri }>();
  const taskStart = new Emitter<TaskEvent>();
  const taskEnd = new Emitter<TaskEvent>();
  const debugStart = new Emitter<Session>();
  const debugEnd = new Emitter<Session>();
  const opened = new Emitter<FakeRepository>();
  const repositories = options.repositories ?? [];
  const gitApi = { repositories, onDidOpenRepository: opened.event, onDidCloseRepository: new Emitter<FakeRepository>().event };
  const gitExports = { enabled: true, getAPI: (version: number) => (version === 1 ? gitApi : undefined) };
  const extension: ExtensionLike = {
    isActive: options.git === 'active',
    exports: options.git === 'active' ? gitExports : undefined,
    activate: () => Promise.resolve(gitExports),
  };
  const api: AnnotationWatcherApi<FakeUri> = {
    workspace: {
      onDidSaveTextDocument: saved.event,
      getWorkspaceFolder: (u) => (u.path.startsWith('/ws/') ? { name: 'ws' } : undefined),
      asRelativePath: (u) => u.path.replace(/^\/ws\//, ''),
    },
    tasks: { onDidStartTask: taskStart.event, onDidEndTask: taskEnd.event },
    debug: { onDidStartDebugSession: debugStart.event, onDidTerminateDebugSession: debugEnd.event },
    extensions: { getExtension: (id) => (id === 'vscode.git' && (options.git ?? 'none') !== 'none' ? extension : undefined) },
  };
  let now = 1_000;
  const log = new AnnotationLog();
  const watcher = new AnnotationWatcher(api, log, { now: () => (now += 5_000) });
  return { log, watcher, saved, taskStart, taskEnd, debugStart, debugEnd, opened, repositories };
}

describe('AnnotationWatcher', () => {
  it('records workspace saves with the relative path, not files outside, in .git or in .vscode', async () => {
    const { log, watcher, saved } = setup();
    await watcher.ready;
    saved.fire({ uri: uri('/ws/src/server.ts') });
    saved.fire({ uri: uri('/home/me/.config/Code/User/settings.json') });
    saved.fire({ uri: uri('/ws/.git/COMMIT_EDITMSG') });
    saved.fire({ uri: uri('/ws/.vscode/settings.json') });
    assert.deepEqual(log.list().map((a) => [a.kind, a.label]), [['save', 'Saved src/server.ts']]);
    assert.equal(log.list()[0]?.at, 6_000);
  });

  it('records tasks and debug sessions starting and stopping', async () => {
    const { log, watcher, taskStart, taskEnd, debugStart, debugEnd } = setup();
    await watcher.ready;
    const task = { execution: { task: { name: 'build', source: 'npm' } } };
    taskStart.fire(task);
    taskEnd.fire(task);
    debugStart.fire({ name: 'Launch API', type: 'node' });
    debugEnd.fire({ name: 'Launch API', type: 'node' });
    assert.deepEqual(log.list().map((a) => [a.kind, a.label, a.detail]), [
      ['task-start', 'Task started: build', 'npm'],
      ['task-end', 'Task ended: build', 'npm'],
      ['debug-start', 'Debug session started: Launch API', 'node'],
      ['debug-end', 'Debug session ended: Launch API', 'node'],
    ]);
  });

  it('records git branch switches and commits through the Git API', async () => {
    const repo = new FakeRepository(uri('/ws'), { name: 'main', commit: 'aaaaaaaaaaaa' });
    repo.commits.set('bbbbbbbbbbbb', 'Fix the slow query\n\nLonger text');
    const { log, watcher } = setup({ git: 'inactive', repositories: [repo] });
    await watcher.ready;
    repo.move({ name: 'feature/cache', commit: 'aaaaaaaaaaaa' });
    repo.move({ name: 'feature/cache', commit: 'aaaaaaaaaaaa' }); // unrelated state change (e.g. index)
    repo.move({ name: 'feature/cache', commit: 'bbbbbbbbbbbb' });
    await new Promise((resolve) => setImmediate(resolve)); // the commit subject is fetched
    assert.deepEqual(log.list().map((a) => [a.kind, a.label, a.detail]), [
      ['git-branch', 'Switched to branch feature/cache', 'from main'],
      ['git-commit', 'Commit bbbbbbb on feature/cache', 'Fix the slow query'],
    ]);
  });

  it('takes the first loaded HEAD of a newly opened repository as a baseline', async () => {
    const { log, watcher, opened } = setup({ git: 'active' });
    await watcher.ready;
    const repo = new FakeRepository(uri('/ws'));
    opened.fire(repo);
    repo.move({ name: 'main', commit: 'c1' });
    assert.equal(log.size, 0);
    repo.move({ name: 'dev', commit: 'c1' });
    assert.equal(log.lastOf('git-branch')?.label, 'Switched to branch dev');
  });

  it('works without the Git extension, and stops on dispose', async () => {
    const repo = new FakeRepository(uri('/ws'), { name: 'main', commit: 'c1' });
    const { log, watcher, saved } = setup({ git: 'active', repositories: [repo] });
    await watcher.ready;
    watcher.dispose();
    saved.fire({ uri: uri('/ws/a.ts') });
    repo.move({ name: 'dev', commit: 'c1' });
    assert.equal(log.size, 0);
    const none = setup({ git: 'none' });
    await none.watcher.ready;
    none.saved.fire({ uri: uri('/ws/a.ts') });
    assert.equal(none.log.size, 1);
  });
});
