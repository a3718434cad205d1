import express from 'express';
import type { Config } from '../../config';
import { ApiError, invalid } from '../../errors';
import {
  createAnchorSchema,
  createSessionSchema,
  firstIssueField,
  setPriorSchema,
  turnRequestSchema,
} from '../../sessions/schemas';
import type { Services } from '../../services';
import { route } from '../envelope';
import { clientKey } from '../security';
import type { ZodTypeAny, z } from 'zod';

/** Validates a JSON body against a schema: 400 invalid_request naming the first bad field. */
function parseBody<S extends ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object')
    throw invalid('body', 'A JSON object body is required.');
  const r = schema.safeParse(body);
  if (!r.success) throw invalid(firstIssueField(r.error), `Invalid field: ${firstIssueField(r.error)}.`);
  return r.data;
}

export function sessionsRouter(config: Config, services: Services): express.Router {
  const r = express.Router();
  const json = express.json({ limit: Math.min(config.limits.maxBodyBytes, 1048576), type: () => true });
  const requireJson: express.RequestHandler = (req, _res, next) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      next(
        new ApiError('unsupported_media_type', 'Send application/json.', {
          declared: type || null,
          supported: ['application/json'],
        }),
      );
      return;
    }
    next();
  };
  const jsonBody = [requireJson, json];
  addSessionRoutes(r, services, jsonBody);
  addAnchorRoutes(r, services, jsonBody);
  addTurnAndReportRoutes(r, services, jsonBody);
  return r;
}

/** Create, read and delete a session; attach and detach its prior (api.md 8.1–8.4). */
function addSessionRoutes(r: express.Router, services: Services, jsonBody: express.RequestHandler[]): void {
  r.post(
    '/',
    ...jsonBody,
    route(async (req, res) => {
      const body = parseBody(createSessionSchema, req.body);
      const session = await services.sessions.create(body.analysisId, body.language, clientKey(req, res));
      res.locals.logIds = { sessionId: session.id, analysisId: session.analysisId };
      res.status(201).location(`/api/v1/sessions/${session.id}`).json(session);
    }),
  );

  r.get(
    '/:id',
    route(async (req, res) => {
      res.json(await services.sessions.get(req.params.id));
    }),
  );

  r.delete(
    '/:id',
    route(async (req, res) => {
      await services.sessions.delete(req.params.id);
      res.status(204).end();
    }),
  );

  // api.md 8.4: attach / detach the prior radiograph
  r.put(
    '/:id/prior',
    ...jsonBody,
    route(async (req, res) => {
      const body = parseBody(setPriorSchema, req.body);
      const session = await services.sessions.setPrior(req.params.id, body.analysisId);
      res.locals.logIds = { sessionId: session.id, analysisId: body.analysisId };
      res.json(session);
    }),
  );

  r.delete(
    '/:id/prior',
    route(async (req, res) => {
      await services.sessions.clearPrior(req.params.id);
      res.status(204).end();
    }),
  );
}

/** User anchors of a session: create, read, delete. */
function addAnchorRoutes(r: express.Router, services: Services, jsonBody: express.RequestHandler[]): void {
  r.post(
    '/:id/anchors',
    ...jsonBody,
    route(async (req, res) => {
      const body = parseBody(createAnchorSchema, req.body);
      const anchor = await services.sessions.addUserAnchor(req.params.id, body.geometry, body.label, body.clientRef);
      res.locals.logIds = { sessionId: req.params.id, anchorId: anchor.id };
      res.status(201).location(`/api/v1/sessions/${req.params.id}/anchors/${anchor.id}`).json(anchor);
    }),
  );

  r.get(
    '/:id/anchors/:anchorId',
    route(async (req, res) => {
      res.json(await services.sessions.anchor(req.params.id, req.params.anchorId));
    }),
  );

  r.delete(
    '/:id/anchors/:anchorId',
    route(async (req, res) => {
      await services.sessions.deleteAnchor(req.params.id, req.params.anchorId);
      res.status(204).end();
    }),
  );
}

/** Dialogue turns and the report in json, text or DICOM SR. */
function addTurnAndReportRoutes(r: express.Router, services: Services, jsonBody: express.RequestHandler[]): void {
  r.post(
    '/:id/turns',
    ...jsonBody,
    route(async (req, res) => {
      const body = parseBody(turnRequestSchema, req.body);
      const turn = await services.dialogue.turn(req.params.id, body);
      res.locals.logIds = { sessionId: req.params.id, turnId: turn.id, intent: turn.understanding.intent };
      res.status(201).location(`/api/v1/sessions/${req.params.id}#${turn.id}`).json(turn);
    }),
  );

  r.get(
    '/:id/report',
    route(async (req, res) => {
      const format = String(req.query.format ?? 'json');
      const lang = req.query.lang === undefined ? undefined : String(req.query.lang);
      if (!['json', 'text', 'dicom-sr'].includes(format))
        throw invalid('format', 'format must be json, text or dicom-sr.');
      if (lang !== undefined && lang !== 'zh' && lang !== 'en') throw invalid('lang', 'lang must be zh or en.');
      const out = await services.report(
        req.params.id,
        format as 'json' | 'text' | 'dicom-sr',
        lang as 'zh' | 'en' | undefined,
      );
      if (out.type === 'json') {
        res.json(out.body);
        return;
      }
      res.status(200).type(out.type);
      if (out.filename) res.set('Content-Disposition', `attachment; filename="${out.filename}"`);
      res.send(out.body);
    }),
  );
}
