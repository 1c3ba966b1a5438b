// Splitting an OTLP export by service, and the names those services' sources get.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitByService } from '../../../src/sources/otlpServices';
import { isDerivedId, safeName } from '../../../src/host/sources/derivedSources';

const resource = (attributes: Array<[string, unknown]>) => ({ resource: { attributes: attributes.map(([key, value]) => ({ key, value })) }, scopeMetrics: [] });

describe('splitByService', () => {
  it('groups resources by service.name (instances together), in order, nameless ones apart', () => {
    const a = resource([['service.name', { stringValue: 'cart' }]]);
    const b = resource([['service.name', { stringValue: 'cart' }], ['service.instance.id', { stringValue: 'pod-2' }]]);
    const c = resource([['service.name', { stringValue: 'cart' }]]);
    const d = resource([['service.name', { intValue: 3 }]]);
    const e = { scopeMetrics: [] };
    const groups = splitByService({ resourceMetrics: [a, b, c, d, e] });
    assert.deepEqual(
      groups?.map((g) => [g.service, g.request.resourceMetrics.length]),
      [
        ['cart', 3],
        [undefined, 2],
      ],
    );
  });

  it('makes names printable and bounded; past 32 services an export keeps the rest with the receiver', () => {
    const long = 'x'.repeat(1000);
    const many = Array.from({ length: 40 }, (_, i) => resource([['service.name', { stringValue: `s${i}` }]]));
    const groups = splitByService({ resourceMetrics: [resource([['service.name', { stringValue: `\u0007bell\u202e${long}` }]]), ...many] }) ?? [];
    assert.equal(groups[0]?.service, `bell${'x'.repeat(250)}`);
    assert.equal(groups.length, 33);
    assert.equal(groups.at(-1)?.service, undefined);
    assert.equal(groups.at(-1)?.request.resourceMetrics.length, 9);
  });

  it('leaves what is no request to the decoder', () => {
    assert.equal(splitByService([1, 2]), undefined);
    assert.equal(splitByService({ resourceMetrics: 'no' }), undefined);
  });
});

describe('a service’s source name and id', () => {
  it('is at most 64 characters, without path separators', () => {
    assert.equal(safeName(' shop/api\\v2 '), 'shop-api-v2');
    assert.equal([...safeName('é'.repeat(100))].length, 64);
    assert.equal(safeName('\u0000'), '');
    assert.ok(isDerivedId(`otel/${safeName('a/b')}`));
    assert.ok(!isDerivedId('otel'));
  });
});
