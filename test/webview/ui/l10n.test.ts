// The panel's translator: the host's bundle replaces our English messages, `{n}` takes values, and a bundle
// that is not a string map changes nothing.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { l10n, useBundle } from '../../../webview/ui/l10n';
import { relativeTime } from '../../../webview/ui/text';
import { verdictText } from '../../../webview/devloop/compareText';

describe('webview l10n', () => {
  afterEach(() => useBundle(undefined));

  it('translates a message from the bundle and fills its placeholders, in the translation\'s order', () => {
    useBundle({ 'Snooze alert: {0}': 'Alarm schlummern: {0}', '{0} of {1} label sets': '{1} Label-Sätze, davon {0}' });
    assert.equal(l10n.t('Snooze alert: {0}', 'p95 high'), 'Alarm schlummern: p95 high');
    assert.equal(l10n.t('{0} of {1} label sets', 8, 12), '12 Label-Sätze, davon 8');
  });

  it('keeps English for a message the bundle lacks, and without a bundle', () => {
    useBundle({ Other: 'Andere' });
    assert.equal(l10n.t('Pause'), 'Pause');
    useBundle(undefined);
    assert.equal(l10n.t('{0} more — refine the filter', 3), '3 more — refine the filter');
  });

  it('leaves a placeholder without a value as it is, and does not read values as placeholders', () => {
    assert.equal(l10n.t('{0} of {1} series not shown', 4), '4 of {1} series not shown');
    assert.equal(l10n.t('Filter not understood: {0}.', '{1} $& {0}'), 'Filter not understood: {1} $& {0}.');
  });

  it('ignores a bundle that is not an object of strings (entries that are not strings are dropped)', () => {
    for (const bad of [null, 'Pause', 42, ['Pause'], true]) {
      useBundle(bad);
      assert.equal(l10n.t('Pause'), 'Pause', JSON.stringify(bad));
    }
    useBundle({ Pause: 7, Table: { x: 1 }, Time: 'Zeit' });
    assert.equal(l10n.t('Pause'), 'Pause');
    assert.equal(l10n.t('Table'), 'Table');
    assert.equal(l10n.t('Time'), 'Zeit');
  });

  it('a new bundle replaces the previous one', () => {
    useBundle({ Time: 'Zeit' });
    useBundle({ Table: 'Tabelle' });
    assert.equal(l10n.t('Time'), 'Time');
    assert.equal(l10n.t('Table'), 'Tabelle');
  });

  it('the panel\'s words go through it (relative times, verdicts)', () => {
    useBundle({ '{0} min ago': 'vor {0} Min.', regressed: 'verschlechtert' });
    assert.equal(relativeTime(3 * 60_000), 'vor 3 Min.');
    assert.equal(verdictText('regressed'), 'verschlechtert');
  });
});
