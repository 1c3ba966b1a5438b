import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AnnotationLog, MAX_LABEL } from '../../../../src/core/devloop/annotations';
import type { Annotation } from '../../../../src/core/devloop/annotations';

describe('AnnotationLog', () => {
  it('records annotations in time order and lists a range', () => {
    const log = new AnnotationLog();
    log.add({ at: 3000, kind: 'restart', label: 'Server restarted', sourceId: 'api' });
    log.add({ at: 1000, kind: 'save', label: 'Saved a.ts' });
    log.add({ at: 2000, kind: 'git-branch', label: 'Switched to branch x', detail: 'from main' });
    assert.deepEqual(log.list().map((a) => a.at), [1000, 2000, 3000]);
    assert.deepEqual(log.list(1500, 3000).map((a) => a.kind), ['git-branch', 'restart']);
    assert.equal(log.list()[2]?.sourceId, 'api');
    assert.equal(log.list()[1]?.detail, 'from main');
  });

  it('gives every annotation a unique id, even at the same millisecond', () => {
    const log = new AnnotationLog();
    const a = log.add({ at: 5, kind: 'task-start', label: 'Task started: build' });
    const b = log.add({ at: 5, kind: 'task-end', label: 'Task ended: build' });
    assert.ok(a && b);
    assert.notEqual(a.id, b.id);
    assert.equal(log.get(b.id), b);
  });

  it('keeps at most `capacity`, dropping the oldest', () => {
    const log = new AnnotationLog({ capacity: 3 });
    for (let i = 0; i < 5; i++) log.add({ at: i * 10_000, kind: 'restart', label: `r${i}` });
    assert.deepEqual(log.list().map((a) => a.label), ['r2', 'r3', 'r4']);
    assert.equal(log.size, 3);
  });

  it('coalesces rapid saves of the same file, not of different files or far apart', () => {
    const log = new AnnotationLog();
    assert.ok(log.add({ at: 0, kind: 'save', label: 'Saved a.ts' }));
    assert.equal(log.add({ at: 1500, kind: 'save', label: 'Saved a.ts' }), undefined);
    assert.ok(log.add({ at: 1600, kind: 'save', label: 'Saved b.ts' }));
    assert.equal(log.add({ at: 3000, kind: 'save', label: 'Saved a.ts' }), undefined, 'still within 2 s of the previous save');
    assert.ok(log.add({ at: 6000, kind: 'save', label: 'Saved a.ts' }));
    assert.ok(log.add({ at: 6001, kind: 'restart', label: 'Saved a.ts' }), 'only saves coalesce');
    assert.deepEqual(log.list().map((a) => a.at), [0, 1600, 6000, 6001]);
  });

  it('truncates long labels and flattens control characters', () => {
    const log = new AnnotationLog();
    const a = log.add({ at: 1, kind: 'save', label: `Saved ${'x'.repeat(500)}` });
    assert.equal(a?.label.length, MAX_LABEL);
    assert.ok(a?.label.endsWith('…'));
    assert.equal(log.add({ at: 2, kind: 'task-start', label: 'Task\nstarted:\u0007 x' })?.label, 'Task started: x');
  });

  it('finds the last annotation of a kind', () => {
    const log = new AnnotationLog();
    log.add({ at: 1000, kind: 'save', label: 'Saved a.ts' });
    log.add({ at: 5000, kind: 'save', label: 'Saved b.ts' });
    log.add({ at: 9000, kind: 'restart', label: 'Server restarted' });
    assert.equal(log.lastOf('save')?.label, 'Saved b.ts');
    assert.equal(log.lastOf('save', 4000)?.label, 'Saved a.ts');
    assert.equal(log.lastOf('git-commit'), undefined);
  });

  it('tells listeners about what was added (not what was coalesced)', () => {
    const log = new AnnotationLog();
    const seen: Annotation[] = [];
    const sub = log.onDidAdd((a) => seen.push(a));
    log.add({ at: 0, kind: 'save', label: 'Saved a.ts' });
    log.add({ at: 100, kind: 'save', label: 'Saved a.ts' });
    sub.dispose();
    log.add({ at: 9000, kind: 'save', label: 'Saved a.ts' });
    assert.equal(seen.length, 1);
  });

  it('round-trips through serialize/restore (as JSON)', () => {
    const log = new AnnotationLog();
    log.add({ at: 1000, kind: 'save', label: 'Saved a.ts' });
    log.add({ at: 2000, kind: 'restart', label: 'Server restarted', sourceId: 'api', detail: 'uptime went back' });
    const { log: restored, problems } = AnnotationLog.restore(JSON.parse(JSON.stringify(log.serialize())));
    assert.deepEqual(problems, []);
    assert.deepEqual(restored.list(), log.list());
    const next = restored.add({ at: 3000, kind: 'save', label: 'Saved b.ts' });
    assert.ok(next && !log.list().some((a) => a.id === next.id));
  });

  it('restores into an existing log, keeping what was recorded since startup', () => {
    const old = new AnnotationLog();
    old.add({ at: 1000, kind: 'save', label: 'Saved a.ts' });
    const log = new AnnotationLog();
    log.add({ at: 5000, kind: 'debug-start', label: 'Debug session started: api' });
    assert.deepEqual(log.restoreFrom(old.serialize()), []);
    assert.deepEqual(log.list().map((a) => a.at), [1000, 5000]);
  });

  it('never throws on corrupt input and reports what it dropped', () => {
    for (const bad of [42, 'x', [], { items: 'nope' }, { version: 1 }, true]) {
      const { log, problems } = AnnotationLog.restore(bad);
      assert.equal(log.size, 0);
      assert.equal(problems.length, 1, JSON.stringify(bad));
    }
    assert.deepEqual(AnnotationLog.restore(undefined).problems, []);

    const mixed = {
      version: 1,
      items: [
        { id: 'a', at: 1, kind: 'save', label: 'ok' },
        { id: 'b', at: 'soon', kind: 'save', label: 'bad time' },
        { id: 'c', at: 2, kind: 'explode', label: 'bad kind' },
        { id: 'a', at: 3, kind: 'save', label: 'duplicate id' },
        null,
        { id: 'd', at: 4, kind: 'restart', label: 'y'.repeat(1000), sourceId: 7 },
        { id: 'e', at: 5, kind: 'restart', label: 'y'.repeat(1000) },
        { id: '__proto__', at: 6, kind: 'save', label: 'fine, ids are not object keys' },
      ],
    };
    const { log, problems } = AnnotationLog.restore(mixed);
    assert.deepEqual(log.list().map((a) => a.id), ['a', 'e', '__proto__']);
    assert.equal(log.get('e')?.label.length, MAX_LABEL);
    assert.match(problems.join(' '), /5 malformed/);
  });

  it('keeps the newest `capacity` on restore', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, at: i, kind: 'save', label: `f${i}` }));
    const { log } = AnnotationLog.restore({ version: 1, items }, { capacity: 4 });
    assert.deepEqual(log.list().map((a) => a.id), ['i6', 'i7', 'i8', 'i9']);
  });
});
