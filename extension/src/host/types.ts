/** Pure types host/ hands to the panel (no Cornerstone here, so node tests can import them). */
import type { Geometry } from '../api/contract';

/** What the panel needs to know about the image in the active viewport. */
export interface ActiveImage {
  viewportId: string;
  imageId: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** 0-based frame (api.md 4.1). */
  frame: number;
  /** dicomfile: images came from OHIF's /local page; everything else from the DICOMweb source. */
  source: 'dicomweb' | 'local';
  rows: number;
  columns: number;
  /** BodyPartExamined as the file states it ('' when absent): non-chest images get a warning. */
  bodyPart: string;
}

export interface UserDrawing {
  uid: string;
  imageId: string;
  geometry: Geometry;
}
export interface UserDrawingEvents {
  completed(d: UserDrawing): void;
  removed(uid: string): void;
}
