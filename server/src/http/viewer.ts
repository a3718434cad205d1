import type express from 'express';
import type { Config } from '../config';

/** Serves the OHIF build at "/", our bundles at "/ohif-plugins/" and a generated app-config.js. (placeholder, owned by the viewer work) */
export function mountViewer(_app: express.Express, _config: Config): void {}
