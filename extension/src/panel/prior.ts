/**
 * Choosing the prior radiograph to compare with (issue 17, api.md 8.4). The viewer holds the
 * patient's identity and the study list; the server keeps no identifiers, so the decision that two
 * studies belong to one patient is made here, from what OHIF's own study query returned. Pure, so
 * it is unit-tested.
 */
import type { Lang } from '../api/contract';
import { fill, t } from '../i18n/strings';

/** One study of OHIF's `dataSource.query.studies.search` result (DicomWebDataSource processResults). */
export interface PatientStudy {
  studyInstanceUid: string;
  /** YYYYMMDD, '' when absent. */
  date: string;
  /** HHMMSS(.fff), '' when absent. */
  time: string;
  /** PatientID. */
  mrn: string;
  /** OHIF's formatted name ("Doe, John"), '' when absent. */
  patientName: string;
  /** ModalitiesInStudy, e.g. "CR" or "CR\\SR". */
  modalities: string;
}

/** The study shown now, read from the current image's metadata. */
export interface CurrentStudy {
  studyInstanceUid: string;
  date: string;
  time: string;
  patientId: string;
  /** As DICOM writes it ("Doe^John"), '' when absent. */
  patientName: string;
}

/** The earlier study the panel offers. */
export interface PriorCandidate {
  studyInstanceUid: string;
  date: string;
}

/** One image of the prior study (from OHIF's display sets once its metadata is loaded). */
export interface PriorImage {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  modality: string;
  viewPosition: string;
}

const RADIOGRAPH = new Set(['CR', 'DX']);

/** Names compared without case, punctuation or component separators ("Doe^John" = "Doe, John"). */
const nameKey = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Same patient: the same PatientID exactly (OHIF's query may match it with wildcards), and where
 * both studies state a name, the same name, so a reused or truncated ID does not join two people.
 */
export function samePatient(current: CurrentStudy, study: PatientStudy): boolean {
  const id = current.patientId.trim();
  if (!id || study.mrn.trim() !== id) return false;
  const a = nameKey(current.patientName);
  const b = nameKey(study.patientName);
  return !a || !b || a === b;
}

/** Whether a study's modalities include a radiograph (CR or DX). */
export function hasRadiograph(modalities: string): boolean {
  return modalities
    .split(/[\\/,\s]+/)
    .map((m) => m.trim().toUpperCase())
    .some((m) => RADIOGRAPH.has(m));
}

const validDate = (d: string): boolean => /^\d{8}$/.test(d);
const timeKey = (time: string): string => time.replace(/[^\d.]/g, '').padEnd(6, '0');

/** Strictly earlier; on the same day only when both times are known and earlier. */
export function isEarlier(study: { date: string; time: string }, current: { date: string; time: string }): boolean {
  if (!validDate(study.date) || !validDate(current.date)) return false;
  if (study.date !== current.date) return study.date < current.date;
  if (!study.time || !current.time) return false;
  return timeKey(study.time) < timeKey(current.time);
}

/** The latest earlier CR/DX study of the same patient, or null. */
export function choosePrior(current: CurrentStudy, studies: PatientStudy[]): PriorCandidate | null {
  const earlier = studies.filter(
    (s) =>
      s.studyInstanceUid !== current.studyInstanceUid &&
      samePatient(current, s) &&
      hasRadiograph(s.modalities) &&
      isEarlier(s, current),
  );
  earlier.sort((a, b) => (b.date + timeKey(b.time)).localeCompare(a.date + timeKey(a.time)));
  const best = earlier[0];
  return best ? { studyInstanceUid: best.studyInstanceUid, date: best.date } : null;
}

const LATERAL = /^(LAT|LATERAL|LL|RL|LLD|RLD)$/i;
const FRONTAL_RANK: Record<string, number> = { PA: 0, AP: 1, '': 2 };

/**
 * The prior's frontal radiograph: CR/DX, not lateral; PA before AP before an unstated view (the
 * server checks the projection again, api.md 8.4).
 */
export function pickFrontalImage(images: PriorImage[]): PriorImage | null {
  const rank = (i: PriorImage): number => FRONTAL_RANK[i.viewPosition.trim().toUpperCase()] ?? 3;
  const frontal = images.filter(
    (i) => RADIOGRAPH.has(i.modality.toUpperCase()) && !LATERAL.test(i.viewPosition.trim()) && i.sopInstanceUID,
  );
  frontal.sort((a, b) => rank(a) - rank(b));
  return frontal[0] ?? null;
}

/** YYYYMMDD → YYYY-MM-DD (the same in both languages; unambiguous). */
export function displayDate(date: string): string {
  return validDate(date) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : date;
}

/** "与既往片比较 (2025-03-01)" / "Compare with prior (2025-03-01)". */
export function compareButtonText(candidate: PriorCandidate, lang: Lang): string {
  return fill(t('priorCompare', lang), { date: displayDate(candidate.date) });
}

/** What the panel says once a prior is attached: its date and the interval the server measured. */
export function attachedText(date: string | null, intervalDays: number | null, lang: Lang): string {
  const when = date ? displayDate(date) : t('priorDateUnknown', lang);
  if (intervalDays === null) return fill(t('priorAttached', lang), { date: when });
  return fill(t('priorAttachedInterval', lang), { date: when, days: String(intervalDays) });
}
