import type { CopilotApi } from '../api/client';
import type { Lang } from '../api/contract';
import type { ActiveImage } from '../host';
import { cxrConfig, patientAttributes } from '../host';
import { errorText } from '../i18n/strings';
import { fillPatientModule } from './fillPatient';

/**
 * "Store SR" (api.md 14.3.4): fetch the session's DICOM SR, fill the zero-length Patient and Study
 * attributes from the study OHIF already shows, then STOW it through /dicom-web. Without DICOMweb
 * the file is downloaded instead. Returns true when stored, false when downloaded.
 */
export async function storeStructuredReport(api: CopilotApi, sessionId: string, image: ActiveImage, lang: Lang): Promise<boolean> {
  let sr: ArrayBuffer;
  try {
    sr = await api.getBinary(`/sessions/${encodeURIComponent(sessionId)}/report?format=dicom-sr&lang=${lang}`, 'application/dicom');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'internal_error';
    throw new Error(errorText(code, lang));
  }
  let filled: Uint8Array<ArrayBuffer> = new Uint8Array(sr);
  try {
    filled = fillPatientModule(filled, patientAttributes(image.imageId));
  } catch (e) {
    console.warn("[cxr-copilot] SR kept without patient attributes:", (e as Error).message);
  }
  if (image.source !== 'dicomweb' || !cxrConfig().dicomweb) {
    download(filled, `cxr-copilot-${sessionId}.dcm`);
    return false;
  }
  const boundary = `cxr-${Math.random().toString(36).slice(2)}`;
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + filled.length + tail.length);
  body.set(head, 0);
  body.set(filled, head.length);
  body.set(tail, head.length + filled.length);
  // The sign-in cookie authorises the STOW like OHIF's own DICOMweb requests.
  const res = await fetch(`/dicom-web/studies/${encodeURIComponent(image.studyInstanceUID)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      Accept: 'application/dicom+json',
    },
    body,
  });
  if (!res.ok) throw new Error(`STOW-RS: HTTP ${res.status}`);
  return true;
}

function download(bytes: Uint8Array<ArrayBuffer>, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/dicom' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}
