// The pure parts of "metrics that know your code": annotations in the reducer, series-id labels,
// Go to Handler targets, the comparison's wording, and marker hit-testing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, markClean, MAX_ANNOTATIONS, reduce, upsertAnnotations } from '../../../webview/state';
import { labelsOfSeriesId } from '../../../webview/sections/seriesId';
import { goToHandlerMessage, handlerTarget, handlerTargetOfSeries, targetText } from '../../../webview/devloop/handlerTarget';
import { changeText, compareCaption, verdictText } from '../../../webview/devloop/compareText';
import { inRange, nearest } from '../../../webview/charts/markerRange';
import { relativeTime } from '../../../webview/ui/text';
import { clean } from '../../../webview/guards';
import { seriesKey } from '../../../src/core/model';
import { annotation, annotations, NOW, snapshot } from '../fixtures/snapshot';
import { compareRow } from '../fixtures/compare';

describe('annotations in the reducer', () => {
  it('takes a snapshot’s annotations sorted by time, and upserts a delta’s by id', () => {
    const shuffled = [...annotations].reverse();
    const s0 = markClean(reduce(initialState, { type: 'didSnapshot', snapshot: snapshot({ annotations: shuffled }) }, NOW));
    assert.deepEqual(s0.annotations.map((a) => a.id), annotations.map((a) => a.id));

    const added = annotation('an-new', NOW - 60_000, 'task-end', 'Task ended: build');
    const renamed = { ...annotations[0], label: 'Switched to branch main' } as (typeof annotations)[number];
    const s1 = reduce(s0, { type: 'didUpdate', delta: { now: NOW + 100, annotations: [added, renamed] } }, NOW + 100);
    assert.deepEqual([...s1.dirty], ['annotations']);
    assert.equal(s1.annotations.length, annotations.length + 1);
    assert.equal(s1.annotations.find((a) => a.id === renamed.id)?.label, 'Switched to branch main');
    const times = s1.annotations.map((a) => a.at);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.equal(s0.annotations.length, annotations.length, 'the previous state is untouched');

    // A delta without annotations (or with only junk) leaves them alone.
    const s2 = reduce(markClean(s1), { type: 'didUpdate', delta: { now: NOW + 200, annotations: [{ id: 'x' }] as never } }, NOW + 200);
    assert.equal(s2.annotations, s1.annotations);
    assert.equal(s2.dirty.has('annotations'), false);
  });

  it('keeps the newest MAX_ANNOTATIONS', () => {
    const many = Array.from({ length: MAX_ANNOTATIONS + 20 }, (_, i) => annotation(`a${i}`, NOW - i * 1000, 'save', `Saved f${i}.ts`));
    const kept = upsertAnnotations([], many);
    assert.equal(kept.length, MAX_ANNOTATIONS);
    assert.equal(kept.at(-1)?.id, 'a0');
    assert.equal(kept[0]?.id, `a${MAX_ANNOTATIONS - 1}`);
  });

  it('drops malformed annotations and compare rows', () => {
    const good = annotation('ok', NOW, 'save', 'Saved x');
    const junk = [null, 'x', { ...good, id: '' }, { ...good, kind: 'deploy' }, { ...good, at: Infinity }, { ...good, label: 7 }, { ...good, detail: undefined }, { ...good, id: 'y'.repeat(600) }, { ...good, kind: 'toString' }];
    assert.deepEqual(clean.annotations([...junk, good]), [good]);
    const row = compareRow('p95', 'p95', { before: 1, after: 2, deltaPct: 100, verdict: 'regressed' });
    assert.deepEqual(clean.compareRows([{ ...row, unit: 'furlongs' }, { ...row, verdict: 'worse' }, { ...row, noise: null }, row]), [row]);
  });
});

describe('series id labels', () => {
  it('reads back what seriesKey wrote, escapes included', () => {
    const labels: [string, string][] = [['method', 'GET'], ['path', '/a/{id}/"q",b=c\\d|e}']];
    assert.deepEqual(labelsOfSeriesId(`api|${seriesKey('http.p95', labels)}`), labels);
    assert.deepEqual(labelsOfSeriesId('src|with|bars|http{path="/x"}'), [['path', '/x']]);
    assert.deepEqual(labelsOfSeriesId('api|http.requests{path="/\\u0041"}'), [['path', '/A']]);
  });
  it('gives null for ids without labels or not in the expected form', () => {
    for (const id of ['api|http.requests', 'no-bar{path="/x"}', 'api|{path="/x"}', 'api|m{path="/x"', 'api|m{path=/x}', 'api|m{path="/x"}trailing}', 'api|m{path="/x",}', 'api|m{="/x"}', 'api|m{path="/x"\\}', `api|m{path="${'x'.repeat(9000)}"}`]) {
      assert.equal(labelsOfSeriesId(id), null, id);
    }
  });
});

describe('go to handler targets', () => {
  it('upper-cases a plausible method, else sends null; needs a path starting with /', () => {
    assert.deepEqual(handlerTarget('get', '/api/users'), { method: 'GET', path: '/api/users' });
    assert.deepEqual(handlerTarget('*', '/x'), { method: null, path: '/x' });
    assert.deepEqual(handlerTarget('GETTINGTOOLONG', '/x'), { method: null, path: '/x' });
    assert.deepEqual(handlerTarget('<img src=x>', '/x'), { method: null, path: '/x' });
    assert.deepEqual(handlerTarget(null, '/x'), { method: null, path: '/x' });
    assert.equal(handlerTarget('GET', 'api/users'), null);
    assert.equal(handlerTarget('GET', ''), null);
    assert.equal(handlerTarget('GET', '/a\nb'), null);
    assert.equal(handlerTarget('GET', `/${'a'.repeat(3000)}`), null);
    assert.deepEqual(goToHandlerMessage({ method: 'POST', path: '/api/login' }), { type: 'goToHandler', method: 'POST', path: '/api/login' });
    assert.equal(targetText({ method: 'GET', path: '/api/users' }), 'GET /api/users');
    assert.equal(targetText({ method: null, path: '/x\u202Ey' }), '/xy');
  });
  it('finds the endpoint of an alert’s series from its labels', () => {
    assert.deepEqual(handlerTargetOfSeries('api|endpoint.p95{method="GET",path="/api/search"}'), { method: 'GET', path: '/api/search' });
    assert.deepEqual(handlerTargetOfSeries('api|http_latency{route="/users/:id"}'), { method: null, path: '/users/:id' });
    assert.equal(handlerTargetOfSeries('api|queue.depth'), null);
    assert.equal(handlerTargetOfSeries('api|m{method="GET",path="relative"}'), null);
    assert.equal(handlerTargetOfSeries(null), null);
  });
});

describe('comparison wording', () => {
  it('signs the change and names verdicts', () => {
    assert.equal(changeText(38.3), '+38 %');
    assert.equal(changeText(-4.25), '\u22124.3 %');
    assert.equal(changeText(0), '0 %');
    assert.equal(changeText(null), '–');
    assert.deepEqual((['regressed', 'improved', 'same', 'no-data'] as const).map(verdictText), ['regressed', 'improved', 'no change', 'not enough data']);
  });
  it('captions the annotation, or says there is no save', () => {
    assert.equal(compareCaption(annotation('s', NOW - 120_000, 'save', 'Saved src/server.ts'), 3, NOW), 'Around: Saved src/server.ts, 2 min ago');
    assert.equal(compareCaption(null, 0, NOW), 'No save recorded yet');
    assert.equal(relativeTime(2000), 'just now');
    assert.equal(relativeTime(45_000), '45 s ago');
    assert.equal(relativeTime(3 * 3_600_000 + 5), '3 h ago');
    assert.equal(relativeTime(50 * 3_600_000), '2 d ago');
  });
});

describe('chart markers', () => {
  it('keeps the annotations in the x range and finds the one near the pointer', () => {
    const list = [annotation('a', 1000, 'save', 'a'), annotation('b', 5000, 'restart', 'b'), annotation('c', 9000, 'git-commit', 'c')];
    assert.deepEqual(inRange(list, 2, 9).map((a) => a.id), ['b', 'c']);
    assert.deepEqual(inRange(list, null, 9), []);
    assert.equal(nearest(list, [10, 50, 90], 54)?.id, 'b');
    assert.equal(nearest(list, [10, 50, 90], 70), null);
    assert.equal(nearest(list, [10, 12, 90], 11.5)?.id, 'b');
  });
});
