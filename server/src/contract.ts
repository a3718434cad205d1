/**
 * The HTTP contract's types (../shared/docs/api.md), transcribed for the server.
 * The extension keeps its own copy: the two sides meet only at the contract document.
 */
/* eslint-disable */
export type Point = [number, number];
export type Polygon = Point[];
export type Polyline = Point[];
export type BBox = [number, number, number, number];
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'origin_not_allowed'
  | 'not_found'
  | 'method_not_allowed'
  | 'source_not_dicom'
  | 'anchor_not_deletable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unsupported_transfer_syntax'
  | 'not_dicom'
  | 'malformed_dicom'
  | 'truncated_pixel_data'
  | 'no_pixel_data'
  | 'pixel_data_size_mismatch'
  | 'image_too_large'
  | 'nesting_too_deep'
  | 'unsupported_pixel_format'
  | 'invalid_image'
  | 'prior_not_earlier' // 422, PUT /sessions/:id/prior (docs/prior.md, Contract additions)
  | 'prior_not_frontal' // 422, idem
  | 'limit_exceeded'
  | 'internal_error'
  | 'dicomweb_error'
  | 'model_unavailable'
  | 'dicomweb_unavailable'
  | 'busy'
  | 'analysis_timeout'
  | 'misdirected_request';

export type SpacingSource = 'PixelSpacing' | 'ImagerPixelSpacing' | 'ImagerPixelSpacing/ERMF' | 'none';
export type Unit = 'mm' | 'cm' | 'mm2' | 'cm2' | 'px' | 'px2' | 'ratio' | 'count' | 'fraction' | 'deg' | 'clock';

/** The measurement block: one number, ready for the measurements panel. */
export interface Measurement {
  name: MeasurementName;
  label: Bilingual; // e.g. {zh: "中心距离", en: "Centre distance"}
  value: number; // in `unit`, rounded per the display rule
  unit: Unit; // display unit (mm/cm, mm2/cm2, px/px2, ratio, count, …)
  valuePx: number | null; // px (lengths) or px² (areas); null for dimensionless values
  valueMm: number | null; // mm (lengths) or mm² (areas); null if spacingSource is "none" or dimensionless
  estimate: boolean; // true for every length and area; false for counts and ratios
  spacingSource: SpacingSource | null; // null for counts and ratios
}
export type MeasurementName =
  | 'diameter'
  | 'longAxis'
  | 'shortAxis'
  | 'area'
  | 'length'
  | 'centerDistance'
  | 'edgeGap'
  | 'spiculeLength'
  | 'spiculeCount'
  | 'notchDepth'
  | 'notchCount'
  | 'cardiacWidth'
  | 'thoracicWidth'
  | 'cardiothoracicRatio';

/** One piece of evidence behind a sign, a checklist item or a sentence. */
export interface Evidence {
  name: string; // machine name, lowerCamel (section 9.3 lists the fixed ones)
  value: number | string | boolean;
  unit: Unit | null; // null for strings and booleans
  estimate?: boolean; // present (true) on lengths and areas
  spacingSource?: SpacingSource; // present on lengths and areas
}
export interface Bilingual {
  zh: string;
  en: string;
}
export type Lang = 'zh' | 'en';

export interface Status {
  apiVersion: 'v1';
  version: string; // server package version, e.g. "0.3.0"
  uptimeS: number;
  serverTime: string;
  executionProvider: {
    requested: 'cpu' | 'webgpu' | 'cuda';
    active: 'cpu' | 'webgpu' | 'cuda';
    fallbackReason: string | null;
  };
  models: ModelStatus[]; // [] when no model is installed
  limits: Record<string, number>; // every limit of section 1.9, by name
  dicomweb: { configured: boolean };
  auth: { required: boolean };
  languages: Lang[]; // ["zh", "en"]
  ontology: { version: string; signs: number; lexiconEntries: number; checklists: string[] };
}
export interface ModelStatus {
  name: 'cxr-anatomy' | 'cxr-lesion' | string;
  version: string; // Triton version folder, e.g. "1"
  task: 'anatomy' | 'lesion';
  provider: 'cpu' | 'webgpu' | 'cuda'; // the provider this model actually runs on
  loaded: boolean;
  inputSize: [number, number] | null; // [height, width] the model expects
  operatingPoint: { threshold: number; note: string } | null; // lesion model only
  sha256: string; // of model.onnx
}

export interface Analysis {
  id: string; // "an_…"
  createdAt: string;
  expiresAt: string;
  source: { kind: 'upload' | 'dicomweb'; mediaType: 'application/dicom' | 'image/png' | 'image/jpeg' };
  image: ImageInfo;
  anatomy: Anatomy; // section 5
  findings: Finding[]; // section 6, in priority order; [] when none or no model
  models: ModelRef[]; // the models that produced this analysis; [] when none
  warnings: Warning[];
  timingsMs: { fetch: number | null; decode: number; anatomy: number | null; lesion: number | null; total: number };
  domain?: ImageDomain; // added 2026-12-07: is this image like the ones the models were validated on?
}
export interface ImageDomain {
  inDomain: boolean; // false → findings below the high-confidence band are withheld (section 6.1)
  score: number; // 0..1, higher = closer to the validation data
  reasons: Bilingual[]; // e.g. "lung fields not found", "paediatric proportions", "lateral view"
  validatedOn: string[]; // data sets the operating point was chosen on
}
export interface ModelRef {
  name: string;
  version: string;
  provider: 'cpu' | 'webgpu' | 'cuda';
}
export interface Warning {
  code: WarningCode;
  message: Bilingual;
}
export type WarningCode =
  | 'invalid_pixel_spacing'
  | 'no_pixel_spacing'
  | 'spacing_at_detector' // section 1.5
  | 'color_converted'
  | 'lossy_compressed'
  | 'not_frontal_view'
  | 'orientation_assumed'
  | 'situs_or_flip_suspected' // heart on the patient's right per anatomy
  | 'anatomy_model_unavailable'
  | 'lesion_model_unavailable'
  | 'execution_provider_fallback';

export interface ImageInfo {
  sourceFormat: 'dicom' | 'png' | 'jpeg';
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  photometricInterpretation: string; // as stored ("MONOCHROME1", "MONOCHROME2", "RGB" …); PNG/JPEG grey → "MONOCHROME2"
  numberOfFrames: number;
  frame: number;
  transferSyntaxUID: string | null; // null for PNG/JPEG
  sopClassUID: string | null;
  modality: string | null; // "CR", "DX", …
  viewPosition: string | null; // View Position (0018,5101): "PA", "AP", "LL", "RL", … or the request's value
  patientOrientation: [string, string] | null; // (0020,0020)
  orientationAssumed: boolean;
  pixelSpacingMm: [number, number] | null; // [row (y), column (x)], null when spacingSource is "none"
  spacingSource: SpacingSource;
  spacingDetail: {
    pixelSpacing: [number, number] | null; // (0028,0030) as found
    imagerPixelSpacing: [number, number] | null; // (0018,1164) as found
    ermf: number | null; // (0018,1114) as found
    calibrationType: string | null; // Pixel Spacing Calibration Type (0028,0A02): "GEOMETRY" | "FIDUCIAL"
    origin: 'dicom' | 'request' | null;
  };
  rescale: { slope: number; intercept: number; type: string | null; modalityLutSequence: boolean };
  voi: {
    windowCenter: number | null;
    windowWidth: number | null;
    function: 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID' | null;
    lutSequence: boolean;
    used: 'window' | 'lut' | 'auto';
  };
  lossyCompressed: boolean; // lossy transfer syntax, Lossy Image Compression "01", or JPEG input
  studyInstanceUID: string | null;
  seriesInstanceUID: string | null;
  sopInstanceUID: string | null;
  pixelDataSha256: string; // lowercase hex SHA-256 of the decoded frame's stored values,
  // row-major, little-endian, 1 byte/sample if BitsAllocated 8 else 2,
  // before any LUT (PNG/JPEG: the decoded grey samples, 8 or 16 bit)
}

export interface Anatomy {
  available: boolean;
  unavailableReason: 'no_model' | 'not_frontal' | 'failed' | null;
  modelRef: string | null; // "cxr-anatomy@1"
  zoneConvention: 'thirds_of_lung_height'; // section 5.3 ("anterior_ribs_2_4" reserved)
  bandConvention: 'thirds_of_lung_width';
  structures: Structure[];
  zones: LungZone[];
  bands: LungBand[];
  landmarks: Landmark[];
  lobes: LobeMap | null;
  cardiothoracicRatio: CardiothoracicRatio | null;
}

export interface Structure {
  id: StructureId;
  label: Bilingual;
  contours: Polygon[]; // outer boundaries of the mask's connected components, largest first
  bbox: BBox;
  areaPx: number;
  areaMm2: number | null; // estimate; null when spacingSource is "none"
  confidence: number; // 0..1, mean model probability inside the mask
  maskUrl: string; // "/api/v1/analyses/{id}/masks/{structure}.png"
}
export type StructureId =
  'lung_right' | 'lung_left' | 'heart' | 'mediastinum' | 'trachea' | 'clavicle_right' | 'clavicle_left';

export interface Landmark {
  id: LandmarkId;
  label: Bilingual;
  point: Point;
  polyline: Point[] | null; // for boundary landmarks (hemidiaphragms, heart borders, midline)
  region: Polygon | null; // for hila: the hilar shadow used for gaps and bridges
  confidence: number; // 0..1
  method: 'segmentation' | 'geometry' | 'regression';
  methodNote: string; // one line, English, e.g. "deepest point of the medial lung contour between carina and cardiophrenic levels"
}
export type LandmarkId =
  | 'hilum_right'
  | 'hilum_left'
  | 'carina'
  | 'apex_right'
  | 'apex_left'
  | 'costophrenic_angle_right'
  | 'costophrenic_angle_left'
  | 'cardiophrenic_angle_right'
  | 'cardiophrenic_angle_left'
  | 'hemidiaphragm_right'
  | 'hemidiaphragm_left'
  | 'heart_border_right'
  | 'heart_border_left'
  | 'aortic_knob'
  | 'midline';

export interface LungZone {
  id: ZoneId;
  lung: 'lung_right' | 'lung_left';
  zone: 'upper' | 'middle' | 'lower';
  yRange: [number, number];
  polygons: Polygon[];
}
export interface LungBand {
  id: BandId;
  lung: 'lung_right' | 'lung_left';
  band: 'inner' | 'middle' | 'outer';
  polygons: Polygon[];
}
export type ZoneId = `zone_${'right' | 'left'}_${'upper' | 'middle' | 'lower'}`; // e.g. "zone_right_middle"
export type BandId = `band_${'right' | 'left'}_${'inner' | 'middle' | 'outer'}`; // e.g. "band_left_outer"

export type Lobe = 'RUL' | 'RML' | 'RLL' | 'LUL' | 'LLL' | 'lingula';
export interface Location {
  side: 'right' | 'left' | null;
  structureId: StructureId | null; // most specific structure containing the point (lung before mediastinum)
  inLung: boolean;
  zone: 'upper' | 'middle' | 'lower' | null;
  zoneId: ZoneId | null;
  band: 'inner' | 'middle' | 'outer' | null;
  bandId: BandId | null;
  lobe: Lobe | null;
  lobeConfidence: number | null; // = max lobe probability
  lobeProbabilities: Partial<Record<Lobe, number>> | null; // the ipsilateral lobes, summing to 1
  lungFraction: { vertical: number; horizontal: number } | null; // s and t of section 5.3
  retrocardiac: boolean; // inside the heart silhouette and behind it in the lung (below the carina, within the cardiomediastinal outline); derived, since the visible-lung masks exclude it
  text: Bilingual; // "右肺中野中带(投影于右肺中叶)" / "right mid zone, middle band (projects over the right middle lobe)"
}
export interface LobeMap {
  method: string; // e.g. "multinomial logistic regression on (s, t) per side"
  fittedOn: string; // e.g. "JSRT nodules with true lobe, lung-normalised coordinates"
  regions: { id: Lobe; polygons: Polygon[] }[]; // arg-max regions, for drawing only
}

export interface CardiothoracicRatio {
  value: number; // cardiacWidth / thoracicWidth, 2 decimals
  cardiacWidth: WidthLine; // max horizontal extent of the heart: right border point → left border point
  thoracicWidth: WidthLine; // max internal thoracic width: lateral edges of the two lung masks,
  // searched on rows from the carina down to the higher costophrenic angle
  reliable: boolean; // false unless viewPosition is "PA" (AP, supine, unknown → false)
  note: Bilingual | null; // why unreliable, e.g. "AP/卧位片心影放大,心胸比不可靠"
  method: string;
}
export interface WidthLine {
  a: Point;
  b: Point;
  measurement: Measurement;
} // width = |b.x − a.x| (horizontal)

export interface Finding {
  id: string; // "F1", … in priority order
  type: 'nodule' | 'mass' | 'opacity';
  score: number; // 0..1 detector probability at the centre
  priority: number; // 1 = most important; equals the array order
  center: Point; // contour centroid
  bbox: BBox;
  contour: Polygon; // detector outline (coarse)
  diameterMm: number | null; // mean of long and short axis (section 12.1); null if spacing is "none"
  diameterPx: number;
  estimate: true;
  spacingSource: SpacingSource;
  location: Location;
  shape: 'round' | 'oval' | 'irregular' | 'linear' | 'streaky';
  border: 'well_defined' | 'ill_defined';
  description: Bilingual;
  signs: SignAssessment[]; // coarse signs measurable from the detector contour; MAY be []
}

export interface Session {
  id: string;
  analysisId: string;
  language: Lang;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  focusAnchorId: string | null; // the anchor "this/这个" refers to now
  anchors: Anchor[]; // in id order
  turns: Turn[]; // in order
  annotations: Annotation[]; // the current set to draw (after all replaces/removals)
  prior?: SessionPrior | null; // api.md 8.4 (added 2026-12-07); absent on sessions stored before it
}

/**
 * The prior radiograph attached to a session (api.md 8.4). `acquiredAt` is never a raw date: it is
 * how long before the current image the prior was acquired, as an ISO 8601 duration ("P731D"), or
 * null when either image has no DICOM date (docs/prior.md, Contract additions).
 */
export interface SessionPrior {
  analysisId: string;
  acquiredAt: string | null;
  intervalDays: number | null;
}

export interface Anchor {
  id: string; // "A1"
  kind: 'finding' | 'user' | 'refinement' | 'landmark' | 'measurement';
  parentId: string | null; // lineage: refinement → its finding/user anchor; measurement → its subject
  createdAt: string;
  createdByTurnId: string | null; // null for finding anchors and POSTed user anchors
  label: Bilingual; // "A1 右肺中叶结节" / "A1 right middle lobe nodule"
  findingId: string | null; // kind "finding"
  landmarkId: LandmarkId | null; // kind "landmark"
  clientRef: string | null; // kind "user": the extension's annotation UID
  geometry: Geometry;
  center: Point;
  location: Location | null;
  measurements: Measurement[];
  signs: SignAssessment[];
  features: { notches: Notch[]; spicules: Spicule[] } | null; // kind "refinement"
  relation: Relation | null; // kind "measurement"
  refinedBy: string | null; // on a finding/user anchor: its refinement anchor id
}
export type Geometry =
  | { type: 'point'; point: Point }
  | { type: 'ellipse'; center: Point; radii: [number, number]; rotationDeg: number } // rotation clockwise from +x
  | { type: 'polygon'; points: Point[] }
  | { type: 'polyline'; points: Point[] };
export interface Notch {
  clock: number;
  point: Point;
  depth: Measurement;
} // clock 1..12
export interface Spicule {
  clock: number;
  base: Point;
  tip: Point;
  length: Measurement;
}
export interface Relation {
  fromAnchorId: string; // the subject (a lineage root, e.g. "A1")
  toAnchorId: string | null; // the other anchor or the landmark anchor
  toTarget: { type: 'anchor' | 'hilum' | 'pleura' | 'chest_wall' | 'diaphragm' | 'carina' | 'landmark'; id: string };
  centerLine: [Point, Point]; // subject centre → target point (section 12.2)
  gapLine: [Point, Point] | null; // nearest edge points; null if a side has no extent
  connected: boolean | null; // soft-tissue bridge (hilum and pleura targets); else null
  connectionConfidence: number | null;
  connectionEvidence: Evidence[];
}

export interface SignAssessment {
  signId: string; // a sign id of the ontology; the 11 below are fixed
  status: 'present' | 'absent' | 'indeterminate';
  confidence: number; // 0..1, confidence in the stated status
  evidence: Evidence[]; // the measured values behind it (section 9.3)
  method: string; // analyser and version, e.g. "spiculation@1"
}

export interface TurnRequest {
  text: string; // 1..maxTextLength
  language?: Lang; // overrides detection
  focus?: { anchorId: string } | { point: Point }; // what the user clicked or selected; exactly one key
}

export interface Turn {
  id: string;
  index: number;
  createdAt: string;
  text: string;
  language: Lang;
  understanding: Understanding;
  resolvedAnchors: ResolvedAnchor[];
  resolvedTargets: {
    type: TargetType;
    id: string;
    reason: 'explicit_side' | 'ipsilateral' | 'explicit_id' | 'only_one';
  }[];
  clarification: { question: string; options: { anchorId: string; text: string }[] } | null;
  answer: Answer;
  annotations: Annotation[]; // new or updated annotations (same id = update in place)
  removedAnnotationIds: string[]; // besides those superseded through `replaces`
  createdAnchorIds: string[];
  focusAnchorId: string | null; // the session focus after this turn
  checklist: Checklist | null; // intent "checklist" only
  links: { rel: 'report' | 'heatmap' | 'mask'; href: string; type: string }[];
  timingsMs: {
    understand: number;
    resolve: number;
    analyse: number;
    answer: number;
    total: number;
    refinementCache: 'hit' | 'miss' | null;
  };
}

export interface Understanding {
  intent: Intent;
  intentConfidence: number;
  normalizedText: string; // NFKC, trimmed
  anatomy: { text: string; span: [number, number]; type: LexiconTargetType; id: string }[]; // via the lexicon (13.2)
  descriptors: { text: string; span: [number, number]; type: DescriptorType; value: string | number }[];
  references: { text: string | null; span: [number, number] | null; type: ReferenceType; value: string | null }[];
  signsAsked: string[]; // sign ids
  targets: { text: string; span: [number, number]; type: TargetType; id: string | null }[]; // id null until the side is known
  asks: Ask[];
  checklistId: ChecklistId | null; // intent "checklist"
}
export type DescriptorType = 'shape' | 'border' | 'findingType' | 'sizeRank' | 'ordinal';
//   shape: round|oval|irregular|linear|streaky ("圆形", "条索状"); border: well_defined|ill_defined;
//   findingType: nodule|mass|opacity; sizeRank: largest|smallest ("the bigger one", "最大的"); ordinal: 1, 2, … ("第二个")
export type ReferenceType = 'deictic' | 'explicit_id' | 'focus' | 'all' | 'recent';
//   deictic: this/that/it/these/这个/那个/该病灶/上述/那里/它; explicit_id: "A2" (value "A2");
//   focus: the request's focus (text and span null); all: "所有结节", "both", "them";
//   recent: "这两个点", "these two points" (value = count as string)
export type TargetType = 'hilum' | 'pleura' | 'chest_wall' | 'diaphragm' | 'carina' | 'anchor' | 'landmark';
export type Ask = 'distance' | 'gap' | 'connection' | 'size' | 'location' | 'ratio' | 'count' | 'presence';

export type Intent =
  | 'overview'
  | 'describe_finding'
  | 'margin'
  | 'density'
  | 'size'
  | 'location'
  | 'distance'
  | 'relation_landmark'
  | 'show_anatomy'
  | 'cardiothoracic_ratio'
  | 'checklist'
  | 'compare'
  | 'report'
  | 'help'
  | 'recommendation'
  | 'differential'
  | 'compare_side'
  | 'compare_prior'
  | 'explain'
  | 'unknown';

export interface ResolvedAnchor {
  anchorId: string | null; // null only with reason "ambiguous" or "none"
  role: 'subject' | 'object'; // object = second anchor of distance/compare
  reason: ResolutionReason;
  explanation: string; // turn language; names the anchor and why ("右肺中叶只有一个圆形影:A1")
  candidates: string[]; // anchors considered (≥ 2 when ambiguous)
}
export type ResolutionReason =
  | 'explicit_id'
  | 'focus_anchor'
  | 'clicked_point'
  | 'anatomy_descriptor_match'
  | 'ordinal'
  | 'size_rank'
  | 'recent_anchors'
  | 'last_focused'
  | 'only_candidate'
  | 'all_findings'
  | 'best_match'
  | 'ambiguous'
  | 'none';

export interface Answer {
  headline: string; // one sentence, turn language
  sections: AnswerSection[];
  suggestions: string[]; // 0–4 follow-up questions in the turn language
}
export interface AnswerSection {
  id:
    | 'findings'
    | 'normal'
    | 'signs'
    | 'measurements'
    | 'relation'
    | 'location'
    | 'checklist'
    | 'anatomy'
    | 'comparison'
    | 'limits'
    | 'clarification'
    | 'help'
    | 'report';
  title: string;
  items: AnswerItem[];
}
export interface AnswerItem {
  text: string; // names its anchor ids ("A1 …") when it concerns anchors
  anchorIds: string[];
  evidence: Evidence[];
  signId: string | null;
  status: 'present' | 'absent' | 'indeterminate' | 'met' | 'not_met' | null;
}

export interface Checklist {
  id: ChecklistId;
  title: string; // turn language
  anchorId: string | null; // subject for finding checklists
  items: ChecklistItem[];
  metCount: number;
  notMetCount: number;
  indeterminateCount: number;
  total: number;
  summary: string; // "符合 3/8 条;3 条 X 线难以判断"
  disclaimer: string; // not a diagnosis; CT for characterisation where relevant
}
export interface ChecklistItem {
  id: string; // item id from the checklist definition
  signId: string; // ontology sign id
  relatedSignIds: string[]; // also satisfy the item (e.g. notch_sign for lobulation)
  expect: 'present' | 'absent'; // "absent": the item is met when the sign is absent
  label: string; // turn language
  status: 'met' | 'not_met' | 'indeterminate';
  confidence: number;
  evidence: Evidence[];
  cxrAssessable: 'yes' | 'limited' | 'no';
  note: string | null; // why indeterminate, e.g. calcification is seen far less reliably than on CT
}
export type ChecklistId = 'early_lung_cancer' | 'benign_nodule' | 'pneumothorax' | 'pleural_effusion' | 'cardiomegaly';

export interface AnnotationBase {
  id: string; // "ann_7"; an existing id means update in place
  anchorId: string | null; // null for anatomy outlines and CTR lines
  structureId?: StructureId; // anatomy outlines
  replaces: string | null; // id of a coarser annotation this one supersedes (remove it)
  style: Style;
  measurement: Measurement | null; // shown in the measurements panel
}
export interface Style {
  color: string; // "#RRGGBB"
  opacity: number; // fill opacity 0..1 (regions, heatmap)
  lineWidth: number; // screen px
  lineDash: 'solid' | 'dashed';
  emphasis: 'focus' | 'normal' | 'muted';
  visible: boolean; // initial visibility (heatmap starts false)
}
export type Annotation =
  | (AnnotationBase & { kind: 'region'; polygons: Polygon[] }) // translucent fill + thin stroke
  | (AnnotationBase & { kind: 'outline'; geometry: Geometry }) // polygon or ellipse, no fill
  | (AnnotationBase & { kind: 'link'; points: [Point, Point]; label: string }) // dashed = centre-centre, solid = gap/width
  | (AnnotationBase & { kind: 'points'; markers: Marker[] })
  | (AnnotationBase & { kind: 'label'; point: Point; text: string })
  | (AnnotationBase & { kind: 'heatmap'; url: string; colormap: 'hot' | 'jet' | 'viridis' });
export interface Marker {
  point: Point;
  label: string;
  kind: 'notch' | 'spicule_tip' | 'landmark' | 'user';
  measurement: Measurement | null;
}

export interface Sign {
  id: string; // lower_snake_case, unique
  category: SignCategory;
  name: Bilingual;
  synonyms: { zh: string[]; en: string[] }; // no duplicates within a language across all signs
  definition: Bilingual;
  appearance: Bilingual; // what it looks like on a radiograph
  typicalLocations: { type: LexiconTargetType; id: string }[];
  significance: Bilingual;
  specificity: number; // integer 0–100; higher = more specific; orders findings and signs
  radlexId: string | null; // "RID5713"; null where none is verified (never invented)
  snomedCtId: string | null;
  measurableBy:
    | 'detector'
    | 'anatomy'
    | 'contour'
    | 'margin'
    | 'lobulation'
    | 'spiculation'
    | 'density'
    | 'pleura'
    | 'relation'
    | null;
  cxrAssessable: 'yes' | 'limited' | 'no';
  related: string[]; // sign ids; every one resolves
  sources: { id: string; citation: string; url: string | null }[];
}
export type SignCategory =
  | 'margin_shape'
  | 'density_content'
  | 'distribution_pattern'
  | 'airways'
  | 'pleura'
  | 'mediastinum_hila'
  | 'heart_vessels'
  | 'chest_wall_diaphragm'
  | 'devices'
  | 'named_signs';

export interface LexiconEntry {
  id: string; // e.g. "lex_rml"
  target: { type: LexiconTargetType; id: string };
  preferred: Bilingual; // 右肺中叶 / right middle lobe
  terms: { zh: string[]; en: string[] }; // synonyms, colloquial forms: 右中肺, 中叶, middle lobe
  abbreviations: string[]; // "RML"
  matchedTerm?: string;
}
export type LexiconTargetType = 'structure' | 'landmark' | 'lobe' | 'zone' | 'band' | 'region' | 'side';

export interface ChecklistDefinition {
  id: ChecklistId;
  title: Bilingual;
  scope: 'finding' | 'image'; // early_lung_cancer, benign_nodule: finding; the others: image
  items: {
    id: string;
    signId: string;
    relatedSignIds: string[];
    expect: 'present' | 'absent';
    label: Bilingual;
    cxrAssessable: 'yes' | 'limited' | 'no';
    note: Bilingual | null;
    rule: string | null; // for rule-evaluated items, e.g. "diameterMm > 30", "band in [middle, outer]"
    sources: string[]; // source ids of the ontology
  }[];
  sources: { id: string; citation: string; url: string | null }[];
}

export interface Report {
  sessionId: string;
  analysisId: string;
  language: Lang;
  generatedAt: string;
  frameworks: ('nodule_mass' | 'airspace_opacity' | 'interstitial' | 'pleural' | 'cardiac_mediastinal' | 'normal')[];
  technique: ReportSentence[]; // "胸部正位(PA)片", spacing source, models used
  findings: { region: ReportRegion; title: string; sentences: ReportSentence[] }[];
  impression: ReportSentence[];
  recommendations: ReportSentence[];
  limitations: ReportSentence[];
  disclaimer: string; // research-use notice
  comparison?: ReportSentence[]; // with the attached prior (docs/prior.md, Contract additions); absent without one
}
export type ReportRegion = 'lung_right' | 'lung_left' | 'mediastinum_hila' | 'heart' | 'pleura' | 'other';
export interface ReportSentence {
  id: string;
  text: string;
  anchorIds: string[];
  signIds: string[];
  evidence: Evidence[];
}
