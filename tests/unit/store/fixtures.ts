import { createHash } from 'node:crypto';
import type { Analysis, Anchor, Annotation, Turn } from '../../../server/src/contract';
import type { AnalysisEntry, SessionState } from '../../../server/src/store/types';

/** Small, structurally faithful stand-ins for analyses and session states (the stores never look inside the JSON). */

let seq = 0;
export const randomId = (prefix: 'an_' | 'ss_'): string =>
  prefix +
  createHash('sha256')
    .update(`${process.pid}-${Date.now()}-${seq++}-${Math.random()}`)
    .digest('hex')
    .slice(0, 16)
    .replace(/[^0-9a-z]/g, 'x');

export function fakeAnalysis(
  opts: { id?: string; sha?: string; width?: number; height?: number; models?: Analysis['models'] } = {},
): AnalysisEntry {
  const width = opts.width ?? 64,
    height = opts.height ?? 48;
  const sha = opts.sha ?? createHash('sha256').update(`img-${seq++}-${Math.random()}`).digest('hex');
  const display = new Float32Array(width * height);
  for (let i = 0; i < display.length; i++) display[i] = ((i * 2654435761) % 1000) / 1000;
  const field = new Float32Array(16 * 16).map((_, i) => (i % 7) / 7);
  const analysis = {
    id: opts.id ?? randomId('an_'),
    createdAt: new Date().toISOString(),
    expiresAt: new Date().toISOString(),
    source: { kind: 'upload', mediaType: 'application/dicom' },
    image: {
      sourceFormat: 'dicom',
      rows: height,
      columns: width,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      numberOfFrames: 1,
      frame: 0,
      patientOrientation: ['L', 'F'],
      rescale: { slope: 1, intercept: 0, type: null, modalityLutSequence: false },
      voi: { windowCenter: 2048, windowWidth: 4096, function: 'LINEAR', lutSequence: false, used: 'window' },
      pixelDataSha256: sha,
    },
    anatomy: { available: false },
    findings: [{ id: 'F1' }, { id: 'F2' }],
    models: opts.models ?? [{ name: 'cxr-anatomy', version: '1', provider: 'cpu' }],
    warnings: [],
    timingsMs: { fetch: null, decode: 1, anatomy: 1, lesion: null, total: 2 },
  } as unknown as Analysis;
  return {
    analysis,
    pixels: {
      width,
      height,
      display,
      // a stand-in: the store round-trips the analyser state without reading it
      anatomyState: {
        gridWidth: 16,
        gridHeight: 16,
        fields: { lung_right: field },
        standardOrientation: true,
      } as unknown as AnalysisEntry['pixels']['anatomyState'],
      lesionState: null,
    },
  };
}

export function anchor(n: number, kind: Anchor['kind'] = 'user', extra: Partial<Anchor> = {}): Anchor {
  return {
    id: `A${n}`,
    kind,
    parentId: null,
    createdAt: new Date().toISOString(),
    createdByTurnId: null,
    label: { zh: `A${n} 标记点`, en: `A${n} point` },
    findingId: kind === 'finding' ? `F${n}` : null,
    landmarkId: null,
    clientRef: null,
    geometry: { type: 'point', point: [n, n] },
    center: [n, n],
    location: null,
    measurements: [],
    signs: [],
    features: null,
    relation: null,
    refinedBy: null,
    ...extra,
  } as Anchor;
}

export function annotation(n: number, anchorId: string | null): Annotation {
  return { id: `ann_${n}`, anchorId, kind: 'label', text: `标注 ${n}` } as unknown as Annotation;
}

export function turn(n: number, text = '这两个点相距多远?'): Turn {
  return {
    id: `T${n}`,
    index: n,
    createdAt: new Date().toISOString(),
    text,
    language: 'zh',
    understanding: { intent: 'distance' },
    resolvedAnchors: [],
    resolvedTargets: [],
    clarification: null,
    answer: { headline: `回答 ${n}: 约${n}.0 cm`, sections: [], suggestions: [] },
    annotations: [],
    removedAnnotationIds: [],
    createdAnchorIds: [],
    focusAnchorId: null,
    checklist: null,
    links: [],
    timingsMs: { total: 1 },
  } as unknown as Turn;
}

export function newSession(analysisId: string, findings = 2): SessionState {
  const now = new Date().toISOString();
  const anchors = Array.from({ length: findings }, (_, i) => anchor(i + 1, 'finding'));
  return {
    session: {
      id: randomId('ss_'),
      analysisId,
      language: 'zh',
      createdAt: now,
      updatedAt: now,
      expiresAt: now,
      focusAnchorId: null,
      anchors,
      turns: [],
      annotations: [],
    },
    counters: { anchor: findings, annotation: 0, turn: 0 },
    refinements: {},
    lastListed: [],
  };
}

/** What DialogueService does in one turn, on a copy: an anchor, an annotation, a turn. */
export function applyTurn(state: SessionState, text?: string): SessionState {
  const w = structuredClone(state);
  const a = anchor(++w.counters.anchor, 'user');
  w.session.anchors.push(a);
  w.session.annotations.push(annotation(++w.counters.annotation, a.id));
  w.counters.turn += 1;
  w.session.turns.push(turn(w.counters.turn, text));
  w.session.focusAnchorId = a.id;
  w.lastListed = [a.id];
  return w;
}
