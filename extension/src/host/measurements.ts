import { metaData } from '@cornerstonejs/core';
import type { Lang } from '../api/contract';
import type { CxrDrawData } from '../tools/drawData';
import { ALL_CXR_TOOL_NAMES_FOR_MAPPING } from './toolList';
import { formatMeasurement } from './format';
import { services } from './context';

/** The members of a Cornerstone annotation the mapping reads (ours, made in annotations.ts, have them all). */
interface MappedAnnotation {
  annotationUID: string;
  isVisible?: boolean;
  metadata: { toolName: string; referencedImageId: string; FrameOfReferenceUID?: string };
  data: { label?: string; handles: { points: unknown[] }; cxr?: CxrDrawData };
}

let lang: Lang = 'zh';
export function setMeasurementLanguage(l: Lang): void {
  lang = l;
}

/**
 * Maps our tools' annotations into OHIF's MeasurementService so each server `measurement` block is
 * listed in the measurements panel (ohif-integration.md §5). Annotations without one map to null,
 * which the service skips. Only MEASUREMENT_SCHEMA_KEYS may be returned (pitfall 7).
 */
export function registerMeasurementMappings(): void {
  const { measurementService, displaySetService } = services();
  const source = measurementService.getSource('Cornerstone3DTools', '0.1');
  if (!source) {
    console.warn('[cxr-copilot] Cornerstone3DTools measurement source missing');
    return;
  }
  const VT = measurementService.VALUE_TYPES;
  for (const toolName of ALL_CXR_TOOL_NAMES_FOR_MAPPING) {
    measurementService.addMapping(
      source,
      toolName,
      [{ valueType: VT.POLYLINE }],
      () => null,
      (detail: { annotation?: MappedAnnotation } | undefined) => {
        const ann = detail?.annotation;
        const d = ann?.data?.cxr;
        if (!ann || !d?.measurement) return null;
        const { referencedImageId, FrameOfReferenceUID } = ann.metadata;
        const inst = metaData.get('instance', referencedImageId) ?? {};
        const displaySet = displaySetService.getDisplaySetForSOPInstanceUID(
          inst.SOPInstanceUID,
          inst.SeriesInstanceUID,
        );
        if (!displaySet) return null; // the panel throws on a series it has not loaded
        const value = formatMeasurement(d.measurement, lang);
        // The row names what was measured in words; pixel coordinates mean nothing to a reader.
        const where = d.ann.kind === 'points' ? (d.ann.markers[d.part]?.label ?? '') : '';
        return {
          uid: ann.annotationUID,
          SOPInstanceUID: inst.SOPInstanceUID,
          FrameOfReferenceUID,
          points: ann.data.handles.points,
          isLocked: true,
          isVisible: ann.isVisible !== false,
          metadata: ann.metadata,
          referenceSeriesUID: inst.SeriesInstanceUID,
          referenceStudyUID: inst.StudyInstanceUID,
          referencedImageId,
          frameNumber: 1,
          toolName: ann.metadata.toolName,
          displaySetInstanceUID: displaySet.displaySetInstanceUID,
          label: ann.data.label || d.measurement.label[lang],
          displayText: { primary: [value], secondary: where ? [where] : [] },
          data: {},
          type: d.ann.kind === 'points' ? VT.POINT : VT.POLYLINE,
        };
      },
    );
  }
}
