import type express from 'express';
import type { Config } from '../config';

/** Same-origin proxy /dicom-web/* → DICOMWEB_URL and /wado → WADO_URI_URL. (placeholder, owned by the viewer work) */
export function mountDicomwebProxy(_app: express.Express, _config: Config): void {}
