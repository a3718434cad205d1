import { metaData, utilities, type Types as CoreTypes } from '@cornerstonejs/core';

type Point3 = CoreTypes.Point3;
import type { Point } from '../api/contract';
import { extensionManager, services } from './context';
import type { ActiveImage } from './types';

export type { ActiveImage } from './types';

/** The active Cornerstone viewport, or null while none is rendered. */
export function activeViewport(): { id: string; vp: CoreTypes.IStackViewport } | null {
  const { viewportGridService, cornerstoneViewportService } = services();
  const id = viewportGridService.getActiveViewportId?.();
  if (!id) return null;
  const vp = cornerstoneViewportService.getCornerstoneViewport(id);
  return vp ? { id, vp } : null;
}

/** The viewport that shows `imageId` (the active one first), or null. */
export function viewportShowing(imageId: string): { id: string; vp: CoreTypes.IStackViewport } | null {
  const a = activeViewport();
  if (a?.vp.getCurrentImageId?.() === imageId) return a;
  const { cornerstoneViewportService } = services();
  for (const id of cornerstoneViewportService.getViewportIds?.() ?? []) {
    const vp = cornerstoneViewportService.getCornerstoneViewport(id);
    if (vp?.getCurrentImageId?.() === imageId) return { id, vp };
  }
  return null;
}

/** The image shown in the active viewport, with its UIDs; null before the first render. */
export function getActiveImage(): ActiveImage | null {
  const a = activeViewport();
  const imageId: string | undefined = a?.vp.getCurrentImageId?.();
  if (!a || !imageId) return null;
  const inst = metaData.get('instance', imageId);
  if (!inst?.SOPInstanceUID) return null;
  const frameMatch = /\/frames\/(\d+)/.exec(imageId) ?? /[?&]frame=(\d+)/.exec(imageId);
  return {
    viewportId: a.id,
    imageId,
    studyInstanceUID: inst.StudyInstanceUID,
    seriesInstanceUID: inst.SeriesInstanceUID,
    sopInstanceUID: inst.SOPInstanceUID,
    frame: frameMatch ? Math.max(0, Number(frameMatch[1]) - (imageId.includes('/frames/') ? 1 : 0)) : 0,
    source: imageId.startsWith('dicomfile:') ? 'local' : 'dicomweb',
    rows: Number(inst.Rows) || 0,
    columns: Number(inst.Columns) || 0,
    bodyPart: String(inst.BodyPartExamined ?? '').trim(),
  };
}

/** The exact Part 10 bytes behind an image (local files, or WADO for DICOMweb), via OHIF's loader. */
export async function getImageBytes(imageId: string): Promise<ArrayBuffer> {
  const { dicomLoaderService } = extensionManager().getModuleEntry(
    '@ohif/extension-cornerstone.utilityModule.common',
  ).exports;
  const url = imageId.replace(/^wadouri:/, '');
  const ab: ArrayBuffer = await dicomLoaderService.findDicomDataPromise({ instance: { imageId, url } }, []);
  if (!ab || ab.byteLength < 132) throw new Error('no bytes');
  return ab;
}

export function imageToWorld(imageId: string, p: Point): Point3 {
  const w = utilities.imageToWorldCoords(imageId, [p[0], p[1]]);
  if (!w) throw new Error('image→world failed (no image plane metadata)');
  return w;
}

export function worldToImage(imageId: string, p: Point3): Point {
  const i = utilities.worldToImageCoords(imageId, p);
  if (!i) throw new Error('world→image failed (no image plane metadata)');
  return [i[0], i[1]];
}

/**
 * Zooms the active viewport onto an image-space box (an anchor's extent) with a margin around it,
 * so the finding fills about a third of the view; resetView() goes back to fit.
 */
export function zoomTo(imageId: string, box: [number, number, number, number]): void {
  const a = activeViewport();
  if (!a || a.vp.getCurrentImageId?.() !== imageId) return;
  const [x0, y0, x1, y1] = box;
  const c = imageToWorld(imageId, [(x0 + x1) / 2, (y0 + y1) / 2]);
  const corner = imageToWorld(imageId, [x1, y1]);
  const halfExtent = Math.hypot(corner[0] - c[0], corner[1] - c[1], corner[2] - c[2]);
  const { focalPoint, position } = a.vp.getCamera();
  if (!focalPoint || !position) return;
  const d = [0, 1, 2].map((i) => c[i] - focalPoint[i]);
  a.vp.setCamera({
    focalPoint: c,
    position: [position[0] + d[0], position[1] + d[1], position[2] + d[2]],
    parallelScale: Math.max(halfExtent * 3, 15),
  });
  a.vp.render();
}

/** Back to OHIF's fit-to-window camera. */
export function resetView(): void {
  const a = activeViewport();
  if (!a) return;
  a.vp.resetCamera();
  a.vp.render();
}

/** Patient and study attributes of the shown image, to fill the server's anonymous SR (api.md 14.3.4). */
export function patientAttributes(imageId: string): Record<string, string> {
  const inst = metaData.get('instance', imageId) ?? {};
  const str = (v: unknown): string => {
    if (v == null) return '';
    if (Array.isArray(v)) return v.map(str).join('\\');
    if (typeof v === 'object') return String((v as { Alphabetic?: string }).Alphabetic ?? '');
    return String(v);
  };
  const keys = [
    'StudyDate',
    'StudyTime',
    'AccessionNumber',
    'ReferringPhysicianName',
    'PatientName',
    'PatientID',
    'PatientBirthDate',
    'PatientSex',
    'StudyID',
  ];
  return Object.fromEntries(keys.map((k) => [k, str(inst[k])]).filter(([, v]) => v));
}
