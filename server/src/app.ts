import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { ApiError } from './errors';
import type { Logger } from './logger';
import { mountDicomwebProxy } from './http/dicomwebProxy';
import { errorHandler, sendError } from './http/envelope';
import { requestLog } from './http/requestLog';
import { auditLog, type AuditMiddleware } from './http/audit';
import { analysesRouter } from './http/routes/analyses';
import { ontologyRouter } from './http/routes/ontology';
import { sessionsRouter } from './http/routes/sessions';
import { statusRouter } from './http/routes/status';
import { corsAllowlist, hostAllowlist, requireToken, securityHeaders, tokenLogin } from './http/security';
import { mountViewer } from './http/viewer';
import { createServices, type Services } from './services';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

/** Builds the Express app: security → API → DICOMweb proxy → viewer (api.md 16). */
export function createApp(
  config: Config,
  logger: Logger,
  services: Services,
  audit?: AuditMiddleware,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from as many proxy hops as TRUST_PROXY says (req.secure for the cookie, req.ip for quotas).
  app.set('trust proxy', config.trustProxy > 0 ? config.trustProxy : false);
  app.use(requestLog(logger));
  if (audit) app.use(audit);
  app.use(hostAllowlist(config));
  app.use(securityHeaders());
  app.use(corsAllowlist(config));
  app.use(tokenLogin(config));
  const auth = requireToken(config);

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use('/status', statusRouter(config, services, version));
  api.use('/analyses', analysesRouter(config, services));
  api.use('/sessions', sessionsRouter(config, services));
  api.use('/ontology', ontologyRouter(services));
  api.use((req, res) => {
    const known = /^\/(status|analyses|sessions|ontology)(\/|$)/.test(req.path);
    if (known) sendError(res, new ApiError('method_not_allowed', `${req.method} is not allowed here.`));
    else sendError(res, new ApiError('not_found', 'No such route.', { resource: 'route' }));
  });
  app.use('/api/v1', auth, api);
  app.use('/api', (_req, res) => sendError(res, new ApiError('not_found', 'No such route.', { resource: 'route' })));

  mountDicomwebProxy(app, config, auth);
  mountViewer(app, config);
  app.use(errorHandler(logger));
  return app;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  services: Services;
  close(): Promise<void>;
}

/** Creates the services and listens on config.host:config.port (0 = any free port). */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const services = await createServices(config, logger);
  const audit = auditLog(config.dataDir, {
    modelVersions: () =>
      services
        .modelStatus()
        .filter((m) => m.loaded)
        .map((m) => `${m.name}@${m.version}`),
  });
  const app = createApp(config, logger, services, audit);
  const server = http.createServer(app);
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.info('listening', { port, host: config.host });
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    services,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await audit.close();
      await services.close();
    },
  };
}
