// The Prometheus parser's shortcuts (issue 19): label sets and pairs remembered by their text, names
// matched in place, integer values read without slicing, keywords compared in place. Each answer must
// be the one a plain parse gives, the first time and on every later scrape.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../../../src/core/decode/decode';
import { parsePrometheusText } from '../../../../src/core/decode/prometheusParse';
import type { PromParseResult } from '../../../../src/core/decode/prometheusParse';

type Row = [family: string, type: string, name: string, labels: Array<[string, string]>, value: number];

function rows(r: PromParseResult): Row[] {
  return r.families.flatMap((f) => f.samples.map((s): Row => [f.name, f.type, s.name, s.labels.map(([k, v]): [string, string] => [k, v]), s.value]));
}

/** Parses `text` three times (the later parses answer from the tables) and checks they agree. */
function parsedRows(text: string): Row[] {
  const first = rows(parsePrometheusText(text));
  assert.deepEqual(rows(parsePrometheusText(text)), first);
  assert.deepEqual(rows(parsePrometheusText(text)), first);
  return first;
}

describe('Prometheus parser shortcuts', () => {
  it('reads escaped label values, braces and commas inside quotes, blanks and trailing commas alike on every scrape', () => {
    const text = [
      'm{a="x\\"}y",b="\\\\n"} 1',
      'm{a="x\\"}y",b="\\\\n"} 2',
      'm{ a = "1" , b="2" , } 3',
      'm{a="1",b="2"} 4',
      'm{a="line\\nbreak",c="{,}"} 5',
      'm{} 6',
      'm 7',
    ].join('\n');
    assert.deepEqual(parsedRows(text), [
      ['m', 'untyped', 'm', [['a', 'x"}y'], ['b', '\\n']], 1],
      ['m', 'untyped', 'm', [['a', 'x"}y'], ['b', '\\n']], 2],
      ['m', 'untyped', 'm', [['a', '1'], ['b', '2']], 3],
      ['m', 'untyped', 'm', [['a', '1'], ['b', '2']], 4],
      ['m', 'untyped', 'm', [['a', 'line\nbreak'], ['c', '{,}']], 5],
      ['m', 'untyped', 'm', [], 6],
      ['m', 'untyped', 'm', [], 7],
    ]);
  });

  it('keeps duplicate labels in the order sent', () => {
    assert.deepEqual(parsedRows('d{a="1",a="2"} 1\n'), [['d', 'untyped', 'd', [['a', '1'], ['a', '2']], 1]]);
  });

  it('still refuses a malformed label set whose start was seen in a good line', () => {
    const text = 'm{a="1"} 1\nm{a="1" 2\nm{a="1"}} 3\nm{a=1} 4\nm{a="1"\nm{a="1",b="2"} 5\n';
    for (let i = 0; i < 3; i++) {
      const r = parsePrometheusText(text);
      assert.equal(r.invalidLines, 4);
      assert.deepEqual(r.firstInvalid, { line: 2, text: 'm{a="1" 2' });
      assert.deepEqual(
        rows(r).map((row) => row[4]),
        [1, 5],
      );
    }
  });

  it('refuses a label set over the label cap, on every scrape', () => {
    const many = (n: number) => `big{${Array.from({ length: n }, (_, i) => `l${i}="v"`).join(',')}} 1\n`;
    for (let i = 0; i < 2; i++) {
      assert.equal(parsePrometheusText(many(65)).invalidLines, 1);
      assert.equal(parsePrometheusText(many(64)).families[0]?.samples[0]?.labels.length, 64);
    }
  });

  it('tells a name from a longer name that starts with it', () => {
    const text = [
      '# HELP x_y_total Help of x_y.',
      '# TYPE x counter',
      'x_total 1',
      'x_total_more 2',
      'x_y_total 3',
      'x 4',
      'xx 5',
    ].join('\n');
    assert.deepEqual(
      parsedRows(text).map(([family, type, name, , value]) => [family, type, name, value]),
      [
        ['x_y_total', 'untyped', 'x_y_total', 3],
        ['x', 'counter', 'x_total', 1],
        ['x', 'counter', 'x', 4],
        ['x_total_more', 'untyped', 'x_total_more', 2],
        ['xx', 'untyped', 'xx', 5],
      ],
    );
    assert.equal(parsePrometheusText(text).families.find((f) => f.name === 'x_y_total')?.help, 'Help of x_y.');
  });

  it('files a sample again after a TYPE line declares its family (the last family is forgotten at comments)', () => {
    const text = 'a_total 1\n# TYPE a counter\na_total 2\n';
    assert.deepEqual(parsedRows(text), [
      ['a_total', 'untyped', 'a_total', [], 1],
      ['a', 'counter', 'a_total', [], 2],
    ]);
  });

  it('reads integer values exactly and leaves everything else to Number', () => {
    const values = ['0', '007', '123456789012345', '1234567890123456789', '0x1F', '1e3', '-5', '+Inf', '-Inf', '1.5', '9007199254740993'];
    const text = values.map((v, i) => `v{i="${i}"} ${v}`).join('\n');
    assert.deepEqual(
      parsedRows(text).map((row) => row[4]),
      [0, 7, 123456789012345, Number('1234567890123456789'), 31, 1000, -5, Infinity, -Infinity, 1.5, Number('9007199254740993')],
    );
    assert.equal(parsePrometheusText('v 12a\nv 1_0\nv -\n').invalidLines, 3);
  });

  it('compares comment keywords as whole tokens, with CRLF lines and # EOF', () => {
    const text = '# HELPX h not help\r\n# TYPEX h counter\r\n# TYPE h\tgauge\r\nh 1\r\n# EOFX\r\nh 2 1700000000 # {trace_id="t"} 1\r\n# EOF\r\nh 3\r\n';
    const r = parsePrometheusText(text);
    assert.equal(r.eof, true);
    assert.equal(r.invalidLines, 0);
    assert.deepEqual(
      r.families.map((f) => [f.name, f.type, f.help, f.samples.map((s) => s.value)]),
      [['h', 'gauge', '', [1, 2]]],
    );
  });

  it('reads TYPE words in any case, and anything else as untyped', () => {
    const text = ['COUNTER', 'Gauge', 'unknown', 'histogramx', 'gaugehistogram', '', ' summary extra', 'info', 'stateset', 'untyped']
      .map((word, i) => `# TYPE f${i} ${word}`)
      .join('\n');
    assert.deepEqual(
      parsePrometheusText(text).families.map((f) => f.type),
      ['counter', 'gauge', 'untyped', 'untyped', 'gaugehistogram', 'untyped', 'summary', 'info', 'stateset', 'untyped'],
    );
  });

  it('gives each line its own labels when series come and go between scrapes (the expected order shifts)', () => {
    const line = (i: number) => `s{route="/api/items/${i}",method="GET"} ${i}`;
    const scrapes = [
      [0, 1, 2, 3, 4, 5, 6, 7],
      [100, 0, 1, 2, 3, 4, 5, 6, 7],
      [100, 0, 1, 3, 4, 6, 7, 101],
      [7, 6, 5, 4, 3, 2, 1, 0],
      [0, 1, 2, 3, 4, 5, 6, 7],
    ];
    for (const ids of scrapes) {
      const samples = parsePrometheusText(`${ids.map(line).join('\n')}\n`).families[0]?.samples ?? [];
      assert.deepEqual(
        samples.map((s) => [s.labels, s.value]),
        ids.map((i) => [[['route', `/api/items/${i}`], ['method', 'GET']], i]),
      );
    }
  });

  it('gives the same labels when a table fills up and when label sets churn from scrape to scrape', () => {
    // Long label texts so that a few scrapes are more than the label-set table holds.
    const pad = 'p'.repeat(900);
    const scrape = (tag: string) => {
      const lines: string[] = [];
      for (let i = 0; i < 6000; i++) lines.push(`churn{id="${tag}-${i}",pad="${pad}"} ${i}`);
      return `${lines.join('\n')}\n`;
    };
    for (const tag of ['a', 'b', 'c', 'a', 'd', 'a']) {
      const r = parsePrometheusText(scrape(tag));
      const samples = r.families[0]?.samples ?? [];
      assert.equal(samples.length, 6000);
      for (const i of [0, 2999, 5999]) assert.deepEqual(samples[i]?.labels, [['id', `${tag}-${i}`], ['pad', pad]]);
    }
  });
});

describe('Prometheus histogram decode shortcuts', () => {
  it('groups buckets whatever the position of le, and reads _sum and _count by their suffix', () => {
    const text = [
      '# TYPE h_seconds histogram',
      'h_seconds_bucket{le="0.1",x="a"} 1',
      'h_seconds_bucket{x="a",le="+Inf"} 2',
      'h_seconds_sum{x="a"} 0.5',
      'h_seconds_count{x="a"} 2',
      'h_seconds_bucket{x="b",le="1"} 1',
      'h_seconds_bucket{le="Inf",x="b"} 3',
      'h_seconds_countx{x="b"} 9',
      'h_seconds_count{x="b"} 3',
    ].join('\n');
    for (let i = 0; i < 2; i++) {
      const r = decodeMessage(text, 'prometheus', { now: 1_700_000_000_000 });
      assert.ok(r.ok);
      assert.deepEqual(
        (r.value.histograms ?? []).map((h) => [h.name, h.labels, h.buckets, h.sum, h.count, h.unit]),
        [
          ['h_seconds', [['x', 'a']], [[0.1, 1], [Infinity, 2]], 0.5, 2, 'seconds'],
          ['h_seconds', [['x', 'b']], [[1, 1], [Infinity, 3]], 0, 3, 'seconds'],
        ],
      );
    }
  });
});
