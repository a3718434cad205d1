import type { CopilotApi } from '../api/client';
import type { Lang } from '../api/contract';
import type { ActiveImage } from '../host';
import { cxrConfig, patientAttributes, storeThroughDataSource } from '../host';
import { errorText } from '../i18n/strings';
import { fillPatientModule, readTopLevelString } from './fillPatient';

const SERIES_INSTANCE_UID = 0x0020000e;

/**
 * "Store SR" (api.md 14.3.4): fetch the session's DICOM SR, fill the zero-length Patient and Study
 * attributes from the study OHIF already shows, then store it through OHIF's active data source
 * (`store.dicom`, STOW-RS) and load it into OHIF's metadata store (host/dataSource.ts). Without a
 * DICOMweb source (local files) nothing can be stored: the file is downloaded instead.
 * Returns true when stored, false when downloaded.
 */
export async function storeStructuredReport(
  api: CopilotApi,
  sessionId: string,
  image: ActiveImage,
  lang: Lang,
): Promise<boolean> {
  let sr: ArrayBuffer;
  try {
    sr = await api.getBinary(
      `/sessions/${encodeURIComponent(sessionId)}/report?format=dicom-sr&lang=${lang}`,
      'application/dicom',
    );
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'internal_error';
    throw new Error(errorText(code, lang));
  }
  let filled: Uint8Array<ArrayBuffer> = new Uint8Array(sr);
  try {
    filled = fillPatientModule(filled, patientAttributes(image.imageId));
  } catch (e) {
    console.warn('[cxr-copilot] SR kept without patient attributes:', (e as Error).message);
  }
  const canStore = image.source === 'dicomweb' && cxrConfig().dicomweb;
  const bytes = filled.buffer.slice(filled.byteOffset, filled.byteOffset + filled.byteLength);
  if (
    canStore &&
    (await storeThroughDataSource(bytes, {
      studyInstanceUID: image.studyInstanceUID,
      seriesInstanceUID: readTopLevelString(filled, SERIES_INSTANCE_UID),
    }))
  ) {
    return true;
  }
  download(filled, `cxr-copilot-${sessionId}.dcm`);
  return false;
}

function download(bytes: Uint8Array<ArrayBuffer>, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/dicom' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}
