/**
 * Choosing the prior to compare with (issue 17): the same patient by exact PatientID (and name
 * where both state one), the latest earlier CR/DX study, its frontal image, and the panel's text.
 */
import assert from 'node:assert/strict';
import {
  attachedText,
  choosePrior,
  compareButtonText,
  displayDate,
  hasRadiograph,
  isEarlier,
  pickFrontalImage,
  samePatient,
  type CurrentStudy,
  type PatientStudy,
  type PriorImage,
} from '../../../extension/src/panel/prior';

const current: CurrentStudy = {
  studyInstanceUid: '1.2.3.9',
  date: '20261201',
  time: '101500',
  patientId: 'PX-0042',
  patientName: 'Test^Pat',
};
const study = (o: Partial<PatientStudy>): PatientStudy => ({
  studyInstanceUid: '1.2.3.1',
  date: '20241201',
  time: '090000',
  mrn: 'PX-0042',
  patientName: 'Test, Pat',
  modalities: 'CR',
  ...o,
});
const image = (o: Partial<PriorImage>): PriorImage => ({
  studyInstanceUID: '1.2.3.1',
  seriesInstanceUID: '1.2.3.1.1',
  sopInstanceUID: '1.2.3.1.1.1',
  modality: 'CR',
  viewPosition: 'PA',
  ...o,
});

describe('same patient', () => {
  test('needs the exact PatientID; a wildcard match of a longer ID is another patient', () => {
    assert.equal(samePatient(current, study({})), true);
    assert.equal(samePatient(current, study({ mrn: 'PX-00421' })), false);
    assert.equal(samePatient(current, study({ mrn: '' })), false);
    assert.equal(samePatient({ ...current, patientId: '' }, study({ mrn: '' })), false);
  });

  test('OHIF\'s formatted name ("Test, Pat") equals the DICOM name ("Test^Pat"); a different name does not', () => {
    assert.equal(samePatient(current, study({ patientName: 'TEST, PAT' })), true);
    assert.equal(samePatient(current, study({ patientName: 'Other, Person' })), false);
    // A study without a name is decided by the ID alone.
    assert.equal(samePatient(current, study({ patientName: '' })), true);
  });
});

describe('earlier radiograph', () => {
  test('modalities: CR or DX among them', () => {
    assert.equal(hasRadiograph('CR'), true);
    assert.equal(hasRadiograph('DX\\SR'), true);
    assert.equal(hasRadiograph('CT/SR'), false);
    assert.equal(hasRadiograph(''), false);
  });

  test('earlier by date; on the same day only with both times known', () => {
    assert.equal(isEarlier({ date: '20261130', time: '' }, current), true);
    assert.equal(isEarlier({ date: '20261202', time: '' }, current), false);
    assert.equal(isEarlier({ date: '20261201', time: '0800' }, current), true);
    assert.equal(isEarlier({ date: '20261201', time: '113000' }, current), false);
    assert.equal(isEarlier({ date: '20261201', time: '' }, current), false);
    assert.equal(isEarlier({ date: '', time: '' }, current), false);
    assert.equal(isEarlier({ date: '20241201', time: '' }, { ...current, date: '' }), false);
  });

  test('the latest earlier CR/DX study of the same patient is chosen', () => {
    const studies = [
      study({ studyInstanceUid: current.studyInstanceUid, date: current.date }),
      study({ studyInstanceUid: 'old', date: '20201001' }),
      study({ studyInstanceUid: 'ct', date: '20260101', modalities: 'CT' }),
      study({ studyInstanceUid: 'later', date: '20270101' }),
      study({ studyInstanceUid: 'other', date: '20261101', mrn: 'PX-0043' }),
      study({ studyInstanceUid: 'dx', date: '20250615', modalities: 'DX' }),
    ];
    assert.deepEqual(choosePrior(current, studies), { studyInstanceUid: 'dx', date: '20250615' });
    assert.equal(choosePrior(current, studies.slice(0, 1)), null);
    assert.equal(choosePrior(current, []), null);
  });
});

describe('frontal image of the prior', () => {
  test('PA before AP before an unstated view; never a lateral or a non-radiograph', () => {
    const lat = image({ sopInstanceUID: 'lat', viewPosition: 'LL' });
    const ap = image({ sopInstanceUID: 'ap', viewPosition: 'AP' });
    const pa = image({ sopInstanceUID: 'pa', viewPosition: 'PA' });
    const none = image({ sopInstanceUID: 'none', viewPosition: '' });
    const sr = image({ sopInstanceUID: 'sr', modality: 'SR', viewPosition: 'PA' });
    assert.equal(pickFrontalImage([lat, none, ap, pa, sr])?.sopInstanceUID, 'pa');
    assert.equal(pickFrontalImage([lat, none, ap])?.sopInstanceUID, 'ap');
    assert.equal(pickFrontalImage([lat, none])?.sopInstanceUID, 'none');
    assert.equal(pickFrontalImage([lat, sr]), null);
  });
});

describe('panel text', () => {
  test('the offer names the prior study date in the panel language', () => {
    const c = { studyInstanceUid: 'x', date: '20241201' };
    assert.equal(compareButtonText(c, 'zh'), '与既往片比较 (2024-12-01)');
    assert.equal(compareButtonText(c, 'en'), 'Compare with prior (2024-12-01)');
    assert.equal(displayDate('2024'), '2024');
  });

  test('the attached prior shows its date and the interval the server measured', () => {
    assert.equal(attachedText('20241201', 730, 'zh'), '已附加既往片 (2024-12-01,间隔 730 天)');
    assert.equal(attachedText('20241201', 730, 'en'), 'Prior attached (2024-12-01, 730 days earlier)');
    assert.equal(attachedText(null, null, 'en'), 'Prior attached (date unknown)');
  });
});
