/** Label cleaning (issue 11.12): bidi controls, invisible and control characters, markup, DICOM's backslash. */
import assert from 'node:assert/strict';
import { cleanLabel, loValue, stripBidi } from '../../../server/src/safeText';

test('cleanLabel strips every bidi control, invisible, control and markup character', () => {
  const bidi = [
    '\u202A',
    '\u202B',
    '\u202C',
    '\u202D',
    '\u202E',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200E',
    '\u200F',
    '\u061C',
  ];
  for (const c of bidi) assert.equal(cleanLabel(`a${c}b`), 'ab', `U+${c.codePointAt(0)!.toString(16)}`);
  assert.equal(cleanLabel('x\u200By\uFEFFz\u00AD'), 'xyz');
  assert.equal(cleanLabel(' <b>右肺\tnodule</b>\r\n\u0000\u0085 '), 'b右肺 nodule/b');
  assert.equal(cleanLabel('a\\b'), 'ab');
  assert.equal(cleanLabel('\u202E\u2066'), '');
  assert.equal(cleanLabel('e\u0301'), 'é', 'NFC');
  assert.equal(cleanLabel('结节 A ≥ 3 cm'), '结节 A ≥ 3 cm', 'ordinary text unchanged');
});

test('stripBidi keeps lines (whole documents); loValue keeps one DICOM value', () => {
  assert.equal(stripBidi('line 1\n\u202Eline 2'), 'line 1\nline 2');
  assert.equal(loValue('Size \u202E> 3 cm\\x'), 'Size > 3 cm/x');
});
