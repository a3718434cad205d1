/**
 * The subset of the HTTP contract (shared/docs/api.md) the extension reads. The server keeps its own
 * copy; the two sides meet only at the document. Fields we never read are left out on purpose
 * (a client must ignore unknown fields, api.md 1.1).
 */
export type Point = [number, number];
export type Polygon = Point[];
export type Lang = 'zh' | 'en';
export interface Bilingual {
  zh: string;
  en: string;
}
export type SpacingSource = 'PixelSpacing' | 'ImagerPixelSpacing' | 'ImagerPixelSpacing/ERMF' | 'none';

/** api.md 1.5 */
export interface Measurement {
  name: string;
  label: Bilingual;
  value: number;
  unit: string;
  valuePx: number | null;
  valueMm: number | null;
  estimate: boolean;
  spacingSource: SpacingSource | null;
}

/** api.md 1.8 */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** api.md 4.3–4.4 */
export interface Analysis {
  id: string;
  image: {
    rows: number;
    columns: number;
    modality: string | null;
    viewPosition: string | null;
    pixelSpacingMm: [number, number] | null;
    spacingSource: SpacingSource;
    studyInstanceUID: string | null;
    seriesInstanceUID: string | null;
    sopInstanceUID: string | null;
  };
  anatomy: { available: boolean };
  findings: FindingSummary[];
  models: { name: string; version: string }[];
  warnings: { code: string; message: Bilingual }[];
  /** api.md 4.3: is this image like the ones the models were validated on? Absent without an anatomy model. */
  domain?: ImageDomain;
}

/** api.md 4.3 `Analysis.domain`. */
export interface ImageDomain {
  inDomain: boolean;
  score: number;
  reasons: Bilingual[];
  validatedOn: string[];
}

/** api.md 6: the fields of a finding the findings list shows. */
export interface FindingSummary {
  id: string;
  type: 'nodule' | 'mass' | 'opacity';
  score: number;
  diameterMm: number | null;
  location: { side: 'left' | 'right' | null; text: Bilingual };
}

/** api.md 8.2 */
export type Geometry =
  | { type: 'point'; point: Point }
  | { type: 'ellipse'; center: Point; radii: [number, number]; rotationDeg: number }
  | { type: 'polygon'; points: Point[] }
  | { type: 'polyline'; points: Point[] };

export interface Anchor {
  id: string;
  kind: 'finding' | 'user' | 'refinement' | 'landmark' | 'measurement';
  parentId: string | null;
  label: Bilingual;
  findingId?: string | null;
  refinedBy?: string | null;
  clientRef: string | null;
  geometry: Geometry;
  center: Point;
  measurements: Measurement[];
}

/** api.md 8.1 */
export interface Session {
  id: string;
  analysisId: string;
  language: Lang;
  focusAnchorId: string | null;
  anchors: Anchor[];
  turns: Turn[];
  annotations: Annotation[];
  /** api.md 8.4: the earlier radiograph attached for comparison (absent on servers before it). */
  prior?: SessionPrior | null;
}

/** api.md 8.4 */
export interface SessionPrior {
  analysisId: string;
  acquiredAt: string | null;
  intervalDays: number | null;
}

/** api.md 10.1 */
export interface TurnRequest {
  text: string;
  language?: Lang;
  focus?: { anchorId: string } | { point: Point };
}

export type ItemStatus = 'present' | 'absent' | 'indeterminate' | 'met' | 'not_met' | null;
/** api.md 10.8 */
export interface AnswerItem {
  text: string;
  anchorIds: string[];
  status: ItemStatus;
}
export interface AnswerSection {
  id: string;
  title: string;
  items: AnswerItem[];
}
export interface Answer {
  headline: string;
  sections: AnswerSection[];
  suggestions: string[];
}

/** api.md 10.9 */
export interface ChecklistItem {
  id: string;
  label: string;
  status: 'met' | 'not_met' | 'indeterminate';
  note: string | null;
}
export interface Checklist {
  id: string;
  title: string;
  anchorId: string | null;
  items: ChecklistItem[];
  metCount: number;
  notMetCount: number;
  indeterminateCount: number;
  total: number;
  summary: string;
  disclaimer: string;
}

/** api.md 10.2 */
export interface Turn {
  id: string;
  index: number;
  text: string;
  language: Lang;
  understanding: { intent: string };
  clarification: { question: string; options: { anchorId: string; text: string }[] } | null;
  answer: Answer;
  annotations: Annotation[];
  removedAnnotationIds: string[];
  createdAnchorIds: string[];
  focusAnchorId: string | null;
  checklist: Checklist | null;
  links: { rel: string; href: string; type: string }[];
}

/** api.md 11 */
export interface Style {
  color: string;
  opacity: number;
  lineWidth: number;
  lineDash: 'solid' | 'dashed';
  emphasis: 'focus' | 'normal' | 'muted';
  visible: boolean;
}
export interface AnnotationBase {
  id: string;
  anchorId: string | null;
  structureId?: string;
  replaces: string | null;
  style: Style;
  measurement: Measurement | null;
}
export interface Marker {
  point: Point;
  label: string;
  kind: string;
  measurement: Measurement | null;
}
export type Annotation =
  | (AnnotationBase & { kind: 'region'; polygons: Polygon[] })
  | (AnnotationBase & { kind: 'outline'; geometry: Geometry })
  | (AnnotationBase & { kind: 'link'; points: [Point, Point]; label: string })
  | (AnnotationBase & { kind: 'points'; markers: Marker[] })
  | (AnnotationBase & { kind: 'label'; point: Point; text: string })
  | (AnnotationBase & { kind: 'heatmap'; url: string; colormap: 'hot' | 'jet' | 'viridis' });
export type AnnotationKind = Annotation['kind'];
