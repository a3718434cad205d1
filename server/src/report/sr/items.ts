/** SR content items as dcmjs naturalized objects (one builder per value type). */
import type { Point } from '../../contract';
import type { Code } from './codes';
import { loValue, stripBidi } from '../../safeText';

export type Item = Record<string, unknown>;
export type Relationship =
  'CONTAINS' | 'HAS CONCEPT MOD' | 'HAS OBS CONTEXT' | 'INFERRED FROM' | 'SELECTED FROM' | 'HAS PROPERTIES';

/** The referenced image: SOP class/instance and, for multi-frame sources, the frame (1-based). */
export interface ImageRef {
  sopClassUID: string;
  sopInstanceUID: string;
  frame: number | null;
}

const codeSeq = (code: Code): Item[] => [{ ...code }];

/** An LO value: one line without bidi or control characters or `\` (DICOM's value delimiter), at most 64 characters. */
export const lo = (raw: string): string => {
  const s = loValue(raw);
  return s.length > 64 ? s.slice(0, 64) : s;
};

export function container(rel: Relationship | null, concept: Code, children: Item[], extra: Item = {}): Item {
  return {
    ...(rel ? { RelationshipType: rel } : {}),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: codeSeq(concept),
    ContinuityOfContent: 'SEPARATE',
    ...extra,
    ...(children.length ? { ContentSequence: children } : {}),
  };
}

export function codeItem(rel: Relationship, concept: Code, value: Code, children: Item[] = []): Item {
  return {
    RelationshipType: rel,
    ValueType: 'CODE',
    ConceptNameCodeSequence: codeSeq(concept),
    ConceptCodeSequence: codeSeq({ ...value, CodeMeaning: lo(value.CodeMeaning) }),
    ...(children.length ? { ContentSequence: children } : {}),
  };
}

export const textItem = (rel: Relationship, concept: Code, text: string): Item => ({
  RelationshipType: rel,
  ValueType: 'TEXT',
  ConceptNameCodeSequence: codeSeq(concept),
  TextValue: stripBidi(text),
});

export const uidItem = (rel: Relationship, concept: Code, uid: string): Item => ({
  RelationshipType: rel,
  ValueType: 'UIDREF',
  ConceptNameCodeSequence: codeSeq(concept),
  UID: uid,
});

/** NumericValue is a DS: at most 16 characters. */
export function ds(v: number): string {
  for (let d = 4; d >= 0; d--) {
    const s = String(Number(v.toFixed(d)));
    if (s.length <= 16) return s;
  }
  return v.toExponential(6);
}

export function numItem(concept: Code, value: number, unit: Code, children: Item[] = []): Item {
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'NUM',
    ConceptNameCodeSequence: codeSeq(concept),
    MeasuredValueSequence: [{ MeasurementUnitsCodeSequence: codeSeq(unit), NumericValue: ds(value) }],
    ...(children.length ? { ContentSequence: children } : {}),
  };
}

export function referencedSop(ref: ImageRef): Item[] {
  return [
    {
      ReferencedSOPClassUID: ref.sopClassUID,
      ReferencedSOPInstanceUID: ref.sopInstanceUID,
      ...(ref.frame !== null ? { ReferencedFrameNumber: String(ref.frame) } : {}),
    },
  ];
}

export const imageItem = (rel: Relationship, ref: ImageRef): Item => ({
  RelationshipType: rel,
  ValueType: 'IMAGE',
  ReferencedSOPSequence: referencedSop(ref),
});

/**
 * A 2D SCOORD in image pixel coordinates (api.md 1.3: values go into GraphicData unchanged),
 * INFERRED FROM under a NUM and SELECTED FROM the source image, as the adapters write it.
 */
export function scoordItem(graphicType: 'POINT' | 'POLYLINE' | 'ELLIPSE', points: Point[], ref: ImageRef): Item {
  return {
    RelationshipType: 'INFERRED FROM',
    ValueType: 'SCOORD',
    GraphicType: graphicType,
    GraphicData: points.flatMap((p) => [round2(p[0]), round2(p[1])]),
    ContentSequence: [imageItem('SELECTED FROM', ref)],
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
