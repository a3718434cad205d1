/** A synthetic analysis and session with findings, a refinement with signs, a relation and user marks. */
import type {
  Analysis,
  Anchor,
  Annotation,
  Evidence,
  Finding,
  Location,
  Measurement,
  Session,
  SignAssessment,
  Style,
} from '../../../server/src/contract';
import { getOntology } from '../../../server/src/ontology';
import type { ReportInput } from '../../../server/src/report';

const SRC = 'ImagerPixelSpacing' as const;
const mm = (name: Measurement['name'], label: string, valueMm: number): Measurement => ({
  name,
  label: { zh: label, en: label },
  value: valueMm < 10 ? valueMm : Math.round(valueMm) / 10,
  unit: valueMm < 10 ? 'mm' : 'cm',
  valuePx: Math.round((valueMm / 0.175) * 100) / 100,
  valueMm,
  estimate: true,
  spacingSource: SRC,
});
const ev = (name: string, value: number | boolean | string, unit: Evidence['unit']): Evidence =>
  unit === 'mm' ? { name, value, unit, estimate: true, spacingSource: SRC } : { name, value, unit };
const sign = (
  signId: string,
  status: SignAssessment['status'],
  confidence: number,
  evidence: Evidence[] = [],
): SignAssessment => ({ signId, status, confidence, evidence, method: 'test@1' });

export function location(side: 'right' | 'left', lobe: Location['lobe'], zh: string, en: string): Location {
  return {
    side,
    structureId: side === 'right' ? 'lung_right' : 'lung_left',
    inLung: true,
    zone: 'middle',
    zoneId: `zone_${side}_middle`,
    band: 'outer',
    bandId: `band_${side}_outer`,
    lobe,
    lobeConfidence: 0.7,
    lobeProbabilities: null,
    lungFraction: { vertical: 0.5, horizontal: 0.7 },
    retrocardiac: false,
    text: { zh, en },
  };
}

const RML = location(
  'right',
  'RML',
  '右肺中野外带(投影于右肺中叶)',
  'right mid zone, outer band (projects over the right middle lobe)',
);
const LUL = location(
  'left',
  'LUL',
  '左肺上野中带(投影于左肺上叶)',
  'left upper zone, middle band (projects over the left upper lobe)',
);
const square = (cx: number, cy: number, r: number): [number, number][] => [
  [cx + r, cy],
  [cx, cy - r],
  [cx - r, cy],
  [cx, cy + r],
];

function finding(
  id: string,
  type: Finding['type'],
  priority: number,
  center: [number, number],
  dMm: number,
  loc: Location,
): Finding {
  return {
    id,
    type,
    score: 0.9 - priority * 0.1,
    priority,
    center,
    bbox: [center[0] - 30, center[1] - 30, center[0] + 30, center[1] + 30],
    contour: square(center[0], center[1], 30),
    diameterMm: dMm,
    diameterPx: dMm / 0.175,
    estimate: true,
    spacingSource: SRC,
    location: loc,
    shape: 'round',
    border: 'well_defined',
    description: { zh: '', en: '' },
    signs: [],
  };
}

export function makeAnalysis(
  opts: {
    findings?: boolean;
    ctr?: number;
    reliable?: boolean;
    sourceFormat?: 'dicom' | 'png';
    lesionModel?: boolean;
  } = {},
): Analysis {
  const findings =
    opts.findings === false
      ? []
      : [finding('F1', 'nodule', 1, [560, 1075], 12, RML), finding('F2', 'mass', 2, [1500, 620], 34, LUL)];
  const ctrValue = opts.ctr ?? 0.46;
  const dicom = (opts.sourceFormat ?? 'dicom') === 'dicom';
  return {
    id: 'an_testtesttest',
    createdAt: '2025-06-01T02:15:04.112Z',
    expiresAt: '2025-06-01T06:15:04.112Z',
    source: { kind: 'upload', mediaType: dicom ? 'application/dicom' : 'image/png' },
    image: {
      sourceFormat: dicom ? 'dicom' : 'png',
      rows: 2048,
      columns: 2048,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      numberOfFrames: 1,
      frame: 0,
      transferSyntaxUID: dicom ? '1.2.840.10008.1.2.1' : null,
      sopClassUID: dicom ? '1.2.840.10008.5.1.4.1.1.1' : null,
      modality: 'CR',
      viewPosition: 'PA',
      patientOrientation: ['L', 'F'],
      orientationAssumed: false,
      pixelSpacingMm: [0.175, 0.175],
      spacingSource: SRC,
      spacingDetail: {
        pixelSpacing: null,
        imagerPixelSpacing: [0.175, 0.175],
        ermf: null,
        calibrationType: null,
        origin: 'dicom',
      },
      rescale: { slope: 1, intercept: 0, type: null, modalityLutSequence: false },
      voi: { windowCenter: 2048, windowWidth: 4096, function: 'LINEAR', lutSequence: false, used: 'window' },
      lossyCompressed: false,
      studyInstanceUID: dicom ? '1.2.826.0.1.3680043.8.498.1001' : null,
      seriesInstanceUID: dicom ? '1.2.826.0.1.3680043.8.498.1002' : null,
      sopInstanceUID: dicom ? '1.2.826.0.1.3680043.8.498.1003' : null,
      pixelDataSha256: '0'.repeat(64),
    },
    anatomy: {
      available: true,
      unavailableReason: null,
      modelRef: 'cxr-anatomy@1',
      zoneConvention: 'thirds_of_lung_height',
      bandConvention: 'thirds_of_lung_width',
      structures: [],
      zones: [],
      bands: [],
      landmarks: [
        {
          id: 'hilum_right',
          label: { zh: '右肺门', en: 'right hilum' },
          point: [770, 905],
          polyline: null,
          region: null,
          confidence: 0.74,
          method: 'geometry',
          methodNote: '',
        },
      ],
      lobes: null,
      cardiothoracicRatio: {
        value: ctrValue,
        reliable: opts.reliable ?? true,
        note:
          opts.reliable === false
            ? { zh: 'AP位心影放大,心胸比不可靠', en: 'AP view magnifies the heart; CTR unreliable' }
            : null,
        method: 'test',
        cardiacWidth: { a: [790, 1380], b: [1520, 1460], measurement: mm('cardiacWidth', '心脏横径', 127.75) },
        thoracicWidth: { a: [215, 1560], b: [1805, 1590], measurement: mm('thoracicWidth', '胸廓内径', 278.25) },
      },
    },
    findings,
    models:
      opts.lesionModel === false
        ? [{ name: 'cxr-anatomy', version: '1', provider: 'cpu' }]
        : [
            { name: 'cxr-anatomy', version: '1', provider: 'cpu' },
            { name: 'cxr-lesion', version: '1', provider: 'cpu' },
          ],
    warnings: [
      {
        code: 'spacing_at_detector',
        message: {
          zh: '使用探测器平面像素间距,测量值为估计值',
          en: 'Imager Pixel Spacing used; measurements are estimates',
        },
      },
    ],
    timingsMs: { fetch: null, decode: 1, anatomy: 1, lesion: 1, total: 3 },
  };
}

const base = (
  id: string,
  kind: Anchor['kind'],
  geometry: Anchor['geometry'],
  center: [number, number],
  extra: Partial<Anchor> = {},
): Anchor => ({
  id,
  kind,
  parentId: null,
  createdAt: '2025-06-01T02:15:05.020Z',
  createdByTurnId: null,
  label: { zh: `${id} 标注`, en: `${id} mark` },
  findingId: null,
  landmarkId: null,
  clientRef: null,
  geometry,
  center,
  location: null,
  measurements: [],
  signs: [],
  features: null,
  relation: null,
  refinedBy: null,
  ...extra,
});
const style: Style = {
  color: '#FFFFFF',
  opacity: 1,
  lineWidth: 2,
  lineDash: 'solid',
  emphasis: 'normal',
  visible: true,
};

/** Signs of A3 (A1's refinement): present, absent and indeterminate ones, deliberately unordered. */
export const REFINED_SIGNS: SignAssessment[] = [
  sign('homogeneous_density', 'present', 0.7, [ev('densityCv', 0.08, 'ratio')]),
  sign('calcification', 'indeterminate', 0.5, [ev('calcifiedFraction', 0, 'fraction')]),
  sign('margin_lobulated', 'present', 0.78, [ev('notchCount', 2, 'count'), ev('lobulationIndex', 0.2, 'ratio')]),
  sign('margin_spiculated', 'present', 0.61, [ev('spiculeCount', 2, 'count'), ev('spiculeLengthMaxMm', 3.2, 'mm')]),
  sign('cavitation', 'absent', 0.8, [ev('lucentFraction', 0.01, 'fraction')]),
  sign('vacuole_sign', 'indeterminate', 0.4, [ev('lucencyCount', 0, 'count')]),
  sign('pleural_indentation', 'absent', 0.72, [ev('tailPresent', false, null)]),
  sign('margin_smooth', 'absent', 0.7, [ev('boundarySharpness', 0.4, 'fraction')]),
];

export function makeSession(analysis: Analysis): Session {
  const f = analysis.findings;
  const anchors: Anchor[] = [];
  if (f.length) {
    anchors.push(
      base('A1', 'finding', { type: 'polygon', points: f[0].contour }, f[0].center, {
        findingId: 'F1',
        location: f[0].location,
        label: { zh: 'A1 右肺中叶结节', en: 'A1 right middle lobe nodule' },
        measurements: [mm('diameter', '直径', 12)],
        refinedBy: 'A3',
      }),
    );
    anchors.push(
      base('A2', 'finding', { type: 'polygon', points: f[1].contour }, f[1].center, {
        findingId: 'F2',
        location: f[1].location,
        label: { zh: 'A2 左肺上叶肿块', en: 'A2 left upper lobe mass' },
        measurements: [mm('diameter', '直径', 34)],
      }),
    );
    anchors.push(
      base('A3', 'refinement', { type: 'polygon', points: square(560, 1075, 33) }, [560, 1075], {
        parentId: 'A1',
        location: f[0].location,
        label: { zh: 'A3 A1精细轮廓', en: 'A3 refined outline of A1' },
        measurements: [
          mm('diameter', '直径', 12.3),
          mm('longAxis', '长径', 13.1),
          mm('shortAxis', '短径', 11.5),
          { ...mm('area', '面积', 120), unit: 'cm2', value: 1.2 },
        ],
        signs: REFINED_SIGNS,
        features: { notches: [], spicules: [] },
      }),
    );
    anchors.push(
      base('A4', 'landmark', { type: 'point', point: [770, 905] }, [770, 905], {
        landmarkId: 'hilum_right',
        label: { zh: 'A4 右肺门', en: 'A4 right hilum' },
      }),
    );
    anchors.push(
      base(
        'A5',
        'measurement',
        {
          type: 'polyline',
          points: [
            [560, 1075],
            [770, 905],
          ],
        },
        [665, 990],
        {
          parentId: 'A1',
          label: { zh: 'A5 A1–右肺门', en: 'A5 A1–right hilum' },
          measurements: [mm('centerDistance', '中心距离', 47.3), mm('edgeGap', '最近间距', 31)],
          relation: {
            fromAnchorId: 'A1',
            toAnchorId: 'A4',
            toTarget: { type: 'hilum', id: 'hilum_right' },
            centerLine: [
              [560, 1075],
              [770, 905],
            ],
            gapLine: [
              [584.1, 1055.5],
              [721.8, 944],
            ],
            connected: false,
            connectionConfidence: 0.78,
            connectionEvidence: [ev('bridgePresent', false, null), ev('corridorOpacityRatio', 0.94, 'ratio')],
          },
        },
      ),
    );
  }
  const n = anchors.length;
  anchors.push(base(`A${n + 1}`, 'user', { type: 'point', point: [400, 1300] }, [400, 1300], { location: RML }));
  anchors.push(
    base(
      `A${n + 2}`,
      'user',
      { type: 'ellipse', center: [1400, 1200], radii: [40, 25], rotationDeg: 30 },
      [1400, 1200],
      {
        location: LUL,
        measurements: [
          mm('diameter', '直径', 11.4),
          mm('longAxis', '长径', 14),
          mm('shortAxis', '短径', 8.8),
          mm('area', '面积', 96),
        ],
      },
    ),
  );
  const annotations: Annotation[] = f.length
    ? [
        {
          id: 'ann_3',
          kind: 'region',
          anchorId: 'A2',
          replaces: null,
          polygons: [f[1].contour],
          style,
          measurement: null,
        },
        {
          id: 'ann_6',
          kind: 'outline',
          anchorId: 'A3',
          replaces: 'ann_1',
          geometry: { type: 'polygon', points: square(560, 1075, 33) },
          style,
          measurement: null,
        },
        {
          id: 'ann_7',
          kind: 'points',
          anchorId: 'A3',
          replaces: null,
          markers: [{ point: [590, 1060], label: '切迹 2点', kind: 'notch', measurement: null }],
          style,
          measurement: null,
        },
        {
          id: 'ann_8',
          kind: 'link',
          anchorId: 'A3',
          replaces: null,
          points: [
            [527, 1075],
            [593, 1075],
          ],
          label: '1.3 cm',
          style,
          measurement: mm('longAxis', '长径', 13.1),
        },
        {
          id: 'ann_9',
          kind: 'points',
          anchorId: 'A4',
          replaces: null,
          markers: [{ point: [770, 905], label: '右肺门', kind: 'landmark', measurement: null }],
          style,
          measurement: null,
        },
        {
          id: 'ann_10',
          kind: 'link',
          anchorId: 'A5',
          replaces: null,
          points: [
            [560, 1075],
            [770, 905],
          ],
          label: '4.7 cm',
          style,
          measurement: mm('centerDistance', '中心距离', 47.3),
        },
        {
          id: 'ann_12',
          kind: 'label',
          anchorId: 'A5',
          replaces: null,
          point: [660, 985],
          text: '未见与肺门相连',
          style,
          measurement: null,
        },
      ]
    : [];
  return {
    id: 'ss_testtesttest',
    analysisId: analysis.id,
    language: 'zh',
    createdAt: '2025-06-01T02:15:05.020Z',
    updatedAt: '2025-06-01T02:15:05.020Z',
    expiresAt: '2025-06-01T06:15:05.020Z',
    focusAnchorId: null,
    anchors,
    turns: [],
    annotations,
  };
}

export function makeInput(lang: 'zh' | 'en', opts: Parameters<typeof makeAnalysis>[0] = {}): ReportInput {
  const analysis = makeAnalysis(opts);
  return {
    session: makeSession(analysis),
    analysis,
    signById: getOntology().signById,
    lesionThreshold: opts.lesionModel === false ? null : 0.5,
    lang,
    generatedAt: '2025-06-01T03:00:00.000Z',
  };
}
