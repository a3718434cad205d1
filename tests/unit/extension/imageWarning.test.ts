/** One warning for a non-chest image, from BodyPartExamined and/or the server's image domain (api.md 4.3). */
import assert from 'node:assert/strict';
import type { ImageDomain } from '../../../extension/src/api/contract';
import { imageWarning } from '../../../extension/src/panel/imageWarning';

const out: ImageDomain = {
  inDomain: false,
  score: 0.1,
  validatedOn: ['JSRT'],
  reasons: [
    { zh: '未找到肺野(可能不是胸片)', en: 'lung fields not found (this may not be a chest radiograph)' },
    { zh: '侧位片', en: 'lateral view' },
  ],
};

test('a chest image in the domain has no warning; absent domain and body part too', () => {
  assert.equal(imageWarning('CHEST', { ...out, inDomain: true, reasons: [] }, 'en'), null);
  assert.equal(imageWarning('', undefined, 'zh'), null);
  assert.equal(imageWarning(undefined, null, 'en'), null);
  assert.equal(imageWarning(' chest ', undefined, 'en'), null);
});

test('out of domain: the reasons in the current language, nothing of the other', () => {
  const en = imageWarning('CHEST', out, 'en')!;
  assert.match(en, /lung fields not found/);
  assert.match(en, /lateral view/);
  assert.doesNotMatch(en, /[\u4e00-\u9fff]/);
  const zh = imageWarning('CHEST', out, 'zh')!;
  assert.match(zh, /未找到肺野/);
  assert.match(zh, /侧位片/);
  assert.doesNotMatch(zh, /lung fields/);
});

test('out of domain without reasons still warns', () => {
  assert.match(imageWarning('', { ...out, reasons: [] }, 'en')!, /no reason given/);
});

test('a non-chest body part warns alone, and together with the domain in one text', () => {
  assert.match(imageWarning('KNEE', undefined, 'en')!, /body part “KNEE”/);
  const both = imageWarning('KNEE', out, 'en')!;
  assert.match(both, /KNEE/);
  assert.match(both, /lung fields not found/);
});
