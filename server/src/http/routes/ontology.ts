import express from 'express';
import { notFound } from '../../errors';
import type { Services } from '../../services';
import { route } from '../envelope';

/** Read-only ontology routes (api.md 13). */
export function ontologyRouter(services: Services): express.Router {
  const r = express.Router();
  const o = () => services.ontology;

  r.get(
    '/signs',
    route((req, res) => {
      const category = req.query.category === undefined ? null : String(req.query.category);
      const signs = category ? o().signs.filter((s) => s.category === category) : o().signs;
      res.json({ version: o().version, count: signs.length, signs });
    }),
  );
  r.get(
    '/signs/:id',
    route((req, res) => {
      const s = o().signById.get(req.params.id);
      if (!s) throw notFound('sign', req.params.id);
      res.json(s);
    }),
  );
  r.get(
    '/lexicon',
    route((req, res) => {
      const q = req.query.q === undefined ? null : String(req.query.q);
      res.json({ version: o().version, entries: q === null ? o().lexicon : services.searchLexicon(q) });
    }),
  );
  r.get(
    '/checklists',
    route((_req, res) => {
      res.json({
        checklists: o().checklists.map((c) => ({
          id: c.id,
          title: c.title,
          scope: c.scope,
          itemCount: c.items.length,
        })),
      });
    }),
  );
  r.get(
    '/checklists/:id',
    route((req, res) => {
      const c = o().checklistById.get(req.params.id);
      if (!c) throw notFound('checklist', req.params.id);
      res.json(c);
    }),
  );
  return r;
}
