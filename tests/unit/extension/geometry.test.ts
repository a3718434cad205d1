/** Pure helpers of the extension: user-drawing geometry and the SR patient fill. */
import assert from 'node:assert/strict';
import { dcmjsData } from '../../../server/src/imaging/dcmjs';
import {
  clampToImage,
  ellipseFromHandles,
  ellipseToPolygon,
  polygonFromContour,
} from '../../../extension/src/host/geometry';
import { fillPatientModule, readTopLevelString } from '../../../extension/src/sr/fillPatient';

// The server's dcmjs typings cover only what the server uses; readFile is part of dcmjs all the same.
const { DicomDict, DicomMetaDictionary } = dcmjsData;
const DicomMessage = dcmjsData.DicomMessage as unknown as { readFile(b: ArrayBuffer): { dict: unknown } };

test('EllipticalROI handles [bottom, top, left, right] become centre, radii and clockwise rotation', () => {
  const axisAligned = ellipseFromHandles([
    [100, 140],
    [100, 60],
    [50, 100],
    [150, 100],
  ]);
  assert.deepEqual(axisAligned, { type: 'ellipse', center: [100, 100], radii: [50, 40], rotationDeg: 0 });
  // Long axis from upper-left to lower-right in image space (y down) is a clockwise rotation.
  const rotated = ellipseFromHandles([
    [90, 110],
    [110, 90],
    [80, 80],
    [120, 120],
  ]);
  assert.equal(rotated.type === 'ellipse' && rotated.rotationDeg, 45);
});

test('ellipse sampling stays on the ellipse', () => {
  for (const [x, y] of ellipseToPolygon([10, 20], [5, 2], 30, 16)) {
    const th = (-30 * Math.PI) / 180;
    const [u, v] = [
      (x - 10) * Math.cos(th) - (y - 20) * Math.sin(th),
      (x - 10) * Math.sin(th) + (y - 20) * Math.cos(th),
    ];
    assert.ok(Math.abs((u / 5) ** 2 + (v / 2) ** 2 - 1) < 1e-9);
  }
});

test('freehand contours drop the closing point, round to 2 decimals and respect maxPolygonPoints', () => {
  const g = polygonFromContour([
    [0, 0],
    [10.123, 0],
    [10, 10.456],
    [0, 0],
  ]);
  assert.deepEqual(g, {
    type: 'polygon',
    points: [
      [0, 0],
      [10.12, 0],
      [10, 10.46],
    ],
  });
  const many = Array.from({ length: 5000 }, (_, i) => [Math.cos(i / 800), Math.sin(i / 800)] as [number, number]);
  const d = polygonFromContour(many, 2000);
  assert.equal(d.type === 'polygon' && d.points.length, 2000);
  assert.deepEqual(clampToImage([-0.2, 513], 512, 512), [0, 512]);
});

test('the SR patient fill writes only empty Patient/Study attributes and keeps the file valid', () => {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    MediaStorageSOPInstanceUID: '1.2.3.4',
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.3',
  };
  const ds = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    SOPInstanceUID: '1.2.3.4',
    PatientName: '',
    PatientID: '',
    PatientSex: 'O',
    StudyDate: '',
    ContentSequence: [{ ValueType: 'TEXT', TextValue: 'hello' }],
    Modality: 'SR',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
  const file = new Uint8Array(dict.write());
  const out = fillPatientModule(file, {
    PatientName: 'DOE^JANE',
    PatientID: 'P1',
    PatientSex: 'F',
    StudyDate: '20250101',
  });
  const back = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(out.buffer).dict as never) as Record<
    string,
    any
  >;
  assert.equal(back.PatientName[0].Alphabetic, 'DOE^JANE');
  assert.equal(back.PatientID, 'P1');
  assert.equal(back.PatientSex, 'O', 'a present value is never overwritten');
  assert.equal(back.StudyDate, '20250101');
  assert.equal(back.ContentSequence[0].TextValue, 'hello');
});

test("the SR's SeriesInstanceUID is read after a sequence (to load it into OHIF after storing)", () => {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    MediaStorageSOPInstanceUID: '1.2.3.4',
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.3',
  };
  const ds = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    SOPInstanceUID: '1.2.3.4',
    SeriesInstanceUID: '1.2.3.55',
    ReferencedStudySequence: [{ ReferencedSOPInstanceUID: '9.9' }],
    ContentSequence: [{ ValueType: 'TEXT', TextValue: 'x' }],
    Modality: 'SR',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
  const file = new Uint8Array(dict.write());
  assert.equal(readTopLevelString(file, 0x0020000e), '1.2.3.55');
  assert.equal(readTopLevelString(file, 0x0020000d), null, 'absent');
  assert.equal(readTopLevelString(new Uint8Array(10), 0x0020000e), null, 'not Part 10');
});
