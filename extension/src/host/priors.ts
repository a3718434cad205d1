/**
 * The patient's earlier studies, through OHIF's own services: the data source's study query by
 * PatientID (as OHIF's study browser lists a patient's other studies, getStudiesForPatientByMRN),
 * and the data source's series retrieval, which loads the chosen study into DicomMetadataStore so
 * that the display-set service holds its images (as the study browser does when a prior is opened).
 * The identity used to match studies stays in the page: the server only ever receives UIDs.
 */
import { metaData } from '@cornerstonejs/core';
import type { DicomwebRef } from '../api/client';
import { choosePrior, pickFrontalImage, type PatientStudy, type PriorCandidate, type PriorImage } from '../panel/prior';
import { services } from './context';
import { dicomwebDataSource } from './dataSource';
import type { ActiveImage } from './types';

/** A DICOM value as text: a person name's Alphabetic group, the first of several values. */
function text(v: unknown): string {
  if (v == null) return '';
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return String((v as { Alphabetic?: string }).Alphabetic ?? '');
  return String(v).trim();
}

/** The latest earlier CR/DX study of the shown image's patient on the DICOMweb server, or null. */
export async function findPriorStudy(img: ActiveImage): Promise<PriorCandidate | null> {
  const ds = dicomwebDataSource();
  const inst = metaData.get('instance', img.imageId) ?? {};
  const patientId = text(inst.PatientID);
  if (!ds?.query?.studies?.search || !patientId) return null;
  const studies = (await ds.query.studies.search({ patientId, disableWildcard: true })) as PatientStudy[];
  return choosePrior(
    {
      studyInstanceUid: img.studyInstanceUID,
      date: text(inst.StudyDate),
      time: text(inst.StudyTime),
      patientId,
      patientName: text(inst.PatientName),
    },
    studies ?? [],
  );
}

interface DisplaySetLike {
  StudyInstanceUID?: string;
  SeriesInstanceUID?: string;
  Modality?: string;
  instances?: Record<string, unknown>[];
  images?: Record<string, unknown>[];
}

/** The images of one study that OHIF's display-set service holds. */
function loadedImages(studyInstanceUID: string): PriorImage[] {
  const sets = (services().displaySetService.getActiveDisplaySets?.() ?? []) as DisplaySetLike[];
  return sets
    .filter((d) => d.StudyInstanceUID === studyInstanceUID)
    .flatMap((d) =>
      (d.instances ?? d.images ?? []).map((i) => ({
        studyInstanceUID,
        seriesInstanceUID: text(i.SeriesInstanceUID) || text(d.SeriesInstanceUID),
        sopInstanceUID: text(i.SOPInstanceUID),
        modality: text(i.Modality) || text(d.Modality),
        viewPosition: text(i.ViewPosition),
      })),
    );
}

/**
 * The prior study's frontal radiograph as a DICOMweb reference. Its metadata is loaded into OHIF
 * first (once per study, cached by the data source); display sets are made from OHIF's own
 * INSTANCES_ADDED handler, so they are awaited briefly.
 */
export async function priorImageRef(candidate: PriorCandidate): Promise<DicomwebRef | null> {
  const ds = dicomwebDataSource();
  if (!ds) return null;
  const uid = candidate.studyInstanceUid;
  if (!loadedImages(uid).length) await ds.retrieve.series.metadata({ StudyInstanceUID: uid });
  for (let i = 0; i < 30 && !loadedImages(uid).length; i++) await new Promise((r) => setTimeout(r, 100));
  const image = pickFrontalImage(loadedImages(uid));
  return image
    ? {
        studyInstanceUID: image.studyInstanceUID,
        seriesInstanceUID: image.seriesInstanceUID,
        sopInstanceUID: image.sopInstanceUID,
        frame: 0,
      }
    : null;
}
