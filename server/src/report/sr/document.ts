/**
 * The Comprehensive SR (api.md 14.3): modules of the SR document IOD around a TID 1500 tree,
 * written with dcmjs. Patient and Study identification stays zero-length (api.md 1.7).
 */
import type { Report, ReportSentence } from '../../contract';
import { dcmjsData } from '../../imaging/dcmjs';
import type { ReportInput } from '../input';
import {
  CODES,
  EXPLICIT_VR_LE,
  FREE_TEXT,
  LANGUAGE,
  LOCAL_SCHEME,
  SOP_CLASS_COMPREHENSIVE_SR,
  type Code,
} from './codes';
import { codeItem, container, imageItem, referencedSop, textItem, uidItem, type ImageRef, type Item } from './items';
import { measurementGroup } from './measurementGroup';
import { srGroups } from './shapes';
import { nameUid, newUid } from './uid';

const DEVICE_NAME = 'CXR Copilot';
const DEVICE_UID = nameUid('CXR Copilot device observer');
const IMPLEMENTATION_UID = nameUid('CXR Copilot implementation');

/** The source image's identity; every field must be present for an SR (else source_not_dicom). */
export interface SourceImage extends ImageRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
}

const withAnchors = (s: ReportSentence): string =>
  s.anchorIds.length ? `${s.text} [${s.anchorIds.join(', ')}]` : s.text;

/**
 * The comparison with the prior (issue 17): one TEXT per sentence, each INFERRED FROM the prior image
 * when the prior analysis has a SOP Instance UID. The prior is named by the interval only.
 */
function comparisonItems(input: ReportInput, report: Report): Item[] {
  const ref = input.prior?.image ?? null;
  return (report.comparison ?? []).map((s) => ({
    ...textItem('CONTAINS', CODES.comparison, withAnchors(s)),
    ...(ref ? { ContentSequence: [imageItem('INFERRED FROM', ref)] } : {}),
  }));
}

function contentTree(input: ReportInput, report: Report, src: SourceImage): Item[] {
  const { session, analysis, signById, lang } = input;
  const groups = srGroups(session, analysis, lang).map((g) => measurementGroup(g, src, signById));
  const qualitative: Item[] = [
    ...report.findings.flatMap((f) => f.sentences).map((s) => textItem('CONTAINS', CODES.finding, withAnchors(s))),
    ...report.impression.map((s) => textItem('CONTAINS', CODES.impression, withAnchors(s))),
    ...report.recommendations.map((s) => textItem('CONTAINS', CODES.recommendation, withAnchors(s))),
    // What the analysis cannot establish and the research-use notice travel with the SR as text.
    ...report.limitations.map((s) => textItem('CONTAINS', CODES.limitation, s.text)),
    ...comparisonItems(input, report),
    textItem('CONTAINS', CODES.disclaimer, report.disclaimer),
  ];
  return [
    codeItem('HAS CONCEPT MOD', CODES.languageOfContent, LANGUAGE[lang]),
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.device),
    uidItem('HAS OBS CONTEXT', CODES.deviceObserverUid, DEVICE_UID),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverName, DEVICE_NAME),
    codeItem('HAS CONCEPT MOD', CODES.procedureReported, CODES.projectionXRay),
    container('CONTAINS', CODES.imageLibrary, [
      container('CONTAINS', CODES.imageLibraryGroup, [imageItem('CONTAINS', src)]),
      // the prior film compared with (issue 17), when it was a DICOM image
      ...(input.prior?.image
        ? [container('CONTAINS', CODES.imageLibraryGroup, [imageItem('CONTAINS', input.prior.image)])]
        : []),
    ]),
    container('CONTAINS', CODES.imagingMeasurements, groups),
    container('CONTAINS', CODES.qualitativeEvaluations, qualitative),
  ];
}

const dicomDate = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const dicomTime = (d: Date) => d.toISOString().slice(11, 19).replace(/:/g, '');

const scheme = (designator: string, name: string, org: string): Item => ({
  CodingSchemeDesignator: designator,
  CodingSchemeName: name,
  CodingSchemeResponsibleOrganization: org,
});

/** The naturalized SR data set. */
export function srDataset(input: ReportInput, report: Report, src: SourceImage): Record<string, unknown> {
  const now = new Date(report.generatedAt);
  const sopInstanceUID = newUid();
  const root: Code = CODES.imagingMeasurementReport;
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SOP_CLASS_COMPREHENSIVE_SR,
    SOPInstanceUID: sopInstanceUID,
    InstanceCreationDate: dicomDate(now),
    InstanceCreationTime: dicomTime(now),
    // Patient and General Study modules: present, zero-length (the extension fills them before STOW).
    PatientName: '',
    PatientID: '',
    PatientBirthDate: '',
    PatientSex: '',
    StudyInstanceUID: src.studyInstanceUID,
    StudyDate: '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: '',
    // SR Document Series and General Equipment.
    Modality: 'SR',
    SeriesInstanceUID: newUid(),
    SeriesNumber: '9901',
    SeriesDescription: 'CXR Copilot SR',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: DEVICE_NAME,
    // SR Document General.
    InstanceNumber: '1',
    CompletionFlag: 'PARTIAL',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: src.studyInstanceUID,
        ReferencedSeriesSequence: [
          { SeriesInstanceUID: src.seriesInstanceUID, ReferencedSOPSequence: referencedSop(src) },
        ],
      },
    ],
    CodingSchemeIdentificationSequence: [
      scheme(LOCAL_SCHEME, 'CXR Copilot local codes', 'CXR Copilot'),
      scheme(FREE_TEXT.scheme, 'Cornerstone3D free-text labels', 'cornerstonejs'),
    ],
    // SR Document Content: the TID 1500 root.
    ...container(null, root, contentTree(input, report, src), {
      ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    }),
  };
}

/** Writes the SR as DICOM Part 10 (Explicit VR Little Endian) with dcmjs. */
export function writeSr(ds: Record<string, unknown>): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjsData;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: ds.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LE,
    ImplementationClassUID: IMPLEMENTATION_UID,
    ImplementationVersionName: 'CXRCOPILOT',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
  return Buffer.from(dict.write());
}
