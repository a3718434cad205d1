import express from 'express';
import type { Config } from '../../config';
import type { Services } from '../../services';
import { route } from '../envelope';

const started = Date.now();

/** GET /api/v1/status (api.md 3): no secrets, no URLs. */
export function statusRouter(config: Config, services: Services, version: string): express.Router {
  const r = express.Router();
  r.get(
    '/',
    route((_req, res) => {
      const o = services.ontology;
      res.json({
        apiVersion: 'v1',
        version,
        uptimeS: Math.round((Date.now() - started) / 1000),
        serverTime: new Date().toISOString(),
        executionProvider: services.executionProvider(),
        models: services.modelStatus(),
        limits: { ...config.limits },
        dicomweb: { configured: config.dicomwebUrl !== null },
        auth: { required: config.authTokens.length > 0 },
        languages: ['zh', 'en'],
        store: services.store(),
        ontology: {
          version: o.version,
          signs: o.signs.length,
          lexiconEntries: o.lexicon.length,
          checklists: o.checklists.map((c) => c.id),
        },
      });
    }),
  );
  return r;
}
