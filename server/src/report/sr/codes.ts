/** Coded concepts of the SR export (references.md 3); the one place code values live. */
import type { Lobe, Sign } from '../../contract';

export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}
const c = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): Code => ({
  CodeValue,
  CodingSchemeDesignator,
  CodeMeaning,
});

export const SOP_CLASS_COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';

/** Our private coding scheme (designators beginning with 99 are private). */
export const LOCAL_SCHEME = '99CXRC';
/** Free-text code of the Cornerstone3D adapters shipped with OHIF 3.13.2 (@cornerstonejs/adapters 5.6.8). */
export const FREE_TEXT = { value: 'CORNERSTONEFREETEXT', scheme: 'CORNERSTONEJS' } as const;
/** Tracking Identifier prefix the adapters recognise (cornerstone3DTag.js). */
export const CORNERSTONE_TAG = 'Cornerstone3DTools@^0.1.0';

export const CODES = {
  imagingMeasurementReport: c('126000', 'DCM', 'Imaging Measurement Report'),
  languageOfContent: c('121049', 'DCM', 'Language of Content Item and Descendants'),
  observerType: c('121005', 'DCM', 'Observer Type'),
  device: c('121007', 'DCM', 'Device'),
  deviceObserverUid: c('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: c('121013', 'DCM', 'Device Observer Name'),
  procedureReported: c('121058', 'DCM', 'Procedure reported'),
  projectionXRay: c('113704', 'DCM', 'Projection X-Ray'),
  imageLibrary: c('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: c('126200', 'DCM', 'Image Library Group'),
  imagingMeasurements: c('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: c('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: c('112039', 'DCM', 'Tracking Identifier'),
  trackingUid: c('112040', 'DCM', 'Tracking Unique Identifier'),
  qualitativeEvaluations: c('C0034375', 'UMLS', 'Qualitative Evaluations'),
  finding: c('121071', 'DCM', 'Finding'),
  impression: c('121073', 'DCM', 'Impression'),
  recommendation: c('121075', 'DCM', 'Recommendation'),
  findingSite: c('363698007', 'SCT', 'Finding Site'),
  laterality: c('272741003', 'SCT', 'Laterality'),
  right: c('24028007', 'SCT', 'Right'),
  left: c('7771000', 'SCT', 'Left'),
  area: c('42798000', 'SCT', 'Area'),
  diameter: c('81827009', 'SCT', 'Diameter'),
  longAxis: c('103339001', 'SCT', 'Long axis'),
  shortAxis: c('103340004', 'SCT', 'Short axis'),
  length: c('410668003', 'SCT', 'Length'),
  distance: c('121206', 'DCM', 'Distance'),
  center: c('111010', 'DCM', 'Center'),
  present: c('52101004', 'SCT', 'Present'),
  absent: c('272519000', 'SCT', 'Absent'),
  undetermined: c('373068000', 'SCT', 'Undetermined'),
  nodule: c('27925004', 'SCT', 'Nodule'),
  mass: c('4147007', 'SCT', 'Mass'),
  opacity: c('112001', 'DCM', 'Opacity'),
  ctr: c('CXRM01', LOCAL_SCHEME, 'Cardiothoracic ratio'),
  limitation: c('CXRT01', LOCAL_SCHEME, 'Limitation of the automated analysis'),
  disclaimer: c('CXRT02', LOCAL_SCHEME, 'Research-use disclaimer'),
  comparison: c('CXRT03', LOCAL_SCHEME, 'Comparison with prior study'),
} as const;

export const LANGUAGE = {
  zh: c('zh-CN', 'RFC5646', 'Chinese (China)'),
  en: c('en-US', 'RFC5646', 'English (United States)'),
} as const;

/** UCUM units of NUMs; uncalibrated images (spacing "none") use annotated pixel units. */
export const UNITS = {
  mm: c('mm', 'UCUM', 'millimeter'),
  mm2: c('mm2', 'UCUM', 'square millimeter'),
  px: c('{px}', 'UCUM', 'pixels'),
  px2: c('{px2}', 'UCUM', 'square pixels'),
  ratio: c('{ratio}', 'UCUM', 'ratio'),
  none: c('1', 'UCUM', 'no units'),
} as const;

/** Finding Site of a lobe, with laterality where the code is side-less (references.md 3.4). */
export function lobeSite(
  lobe: Lobe | null,
  side: 'right' | 'left' | null,
): { site: Code; laterality: Code | null } | null {
  const lat = side === 'right' ? CODES.right : side === 'left' ? CODES.left : null;
  switch (lobe) {
    case 'RUL':
    case 'LUL':
      return { site: c('45653009', 'SCT', 'Upper lobe of lung'), laterality: lat };
    case 'RML':
      return { site: c('72481006', 'SCT', 'Middle lobe of right lung'), laterality: CODES.right };
    case 'RLL':
    case 'LLL':
      return { site: c('90572001', 'SCT', 'Lower lobe of lung'), laterality: lat };
    case 'lingula':
      return { site: c('RID1333', 'RADLEX', 'lingula'), laterality: CODES.left };
    default:
      return side ? { site: c('39607008', 'SCT', 'Lung'), laterality: lat } : null;
  }
}

/** Local sign codes for signs without a verified RadLex id (references.md 3.5). */
const LOCAL_SIGN_CODES: Record<string, string> = { notch_sign: 'CXRS05' };

/** Concept of a sign: RadLex where the ontology has a verified id, else the local scheme. */
export function signConcept(signId: string, sign: Sign | undefined): Code {
  const meaning = (sign?.name.en ?? signId).replace(/\s*\(.*\)\s*$/, '').slice(0, 64);
  if (sign?.radlexId) return c(sign.radlexId, 'RADLEX', meaning);
  const local = LOCAL_SIGN_CODES[signId] ?? `CXRS-${signId}`.slice(0, 16);
  return c(local, LOCAL_SCHEME, meaning.charAt(0).toUpperCase() + meaning.slice(1));
}

export const statusCode = (s: 'present' | 'absent' | 'indeterminate'): Code =>
  s === 'present' ? CODES.present : s === 'absent' ? CODES.absent : CODES.undetermined;
