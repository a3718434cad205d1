/**
 * Storing a DICOM instance the way OHIF stores its own SRs: through the active data source's
 * `store.dicom` (OHIF's DICOMweb client, with its authorisation headers), then OHIF's own series
 * retrieval, which naturalises the stored instance and adds it to `DicomMetadataStore`, so that
 * the display-set service shows it at once.
 *
 * Why not `DicomMetadataStore.addInstances` directly: `@ohif/core` is not importable by an external
 * plugin (its ESM export names are mangled, ohif-integration.md §2), and OHIF's own wrapper that
 * does it (the `createStoreFunction` command) needs a naturalised dataset, i.e. dcmjs in our bundle.
 * The data source's `retrieve.series.metadata` reaches the same store with OHIF's own dcmjs.
 */
import type { OhifDataSource } from '../types/ohif';
import { extensionManager } from './context';

/** The active data source when it can store over DICOMweb (it has a wadoRoot and a store), else null. */
export function dicomwebDataSource(): OhifDataSource | null {
  let ds: OhifDataSource | undefined;
  try {
    ds = extensionManager().getActiveDataSource()[0];
  } catch {
    return null;
  }
  if (!ds || typeof ds.store?.dicom !== 'function') return null;
  // dicomlocal's store.dicom navigates to a blob URL; only a DICOMweb source (wadoRoot) stores.
  const config = ds.getConfig?.();
  return config?.wadoRoot ? ds : null;
}

/**
 * STOWs a Part 10 file through the data source and loads its series into OHIF's metadata store.
 * Resolves false (nothing sent) when the active data source cannot store.
 */
export async function storeThroughDataSource(
  part10: ArrayBuffer,
  uids: { studyInstanceUID: string; seriesInstanceUID: string | null },
): Promise<boolean> {
  const ds = dicomwebDataSource();
  if (!ds) return false;
  await ds.store.dicom(part10);
  if (!uids.seriesInstanceUID) return true;
  // OHIF caches one metadata promise per study (not per filter): drop it before and after, so this
  // series-only read neither reuses the first load nor stands in for a later full one.
  const forget = () => forgetStudyMetadata(ds, uids.studyInstanceUID);
  forget();
  try {
    await ds.retrieve.series.metadata({
      StudyInstanceUID: uids.studyInstanceUID,
      filters: { seriesInstanceUID: [uids.seriesInstanceUID] },
    });
  } catch (e) {
    console.warn('[cxr-copilot] the SR was stored, but OHIF could not load it yet:', (e as Error).message);
  } finally {
    forget();
  }
  return true;
}

/**
 * OHIF 3.13.2's `deleteStudyMetadataPromise(uid)` deletes the key `uid`, but its cache stores the
 * promise under `${dataSourceName}:${uid}` (retrieveStudyMetadata.js), so the documented call is a
 * no-op there. Both keys are passed: the documented one, and the one the cache really uses.
 */
function forgetStudyMetadata(ds: OhifDataSource, studyInstanceUID: string): void {
  ds.deleteStudyMetadataPromise?.(studyInstanceUID);
  const name = ds.getConfig?.()?.name;
  if (name) ds.deleteStudyMetadataPromise?.(`${name}:${studyInstanceUID}`);
}
