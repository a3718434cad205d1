import type { Analysis, Lang, Location, ModelStatus, Point } from './contract';
import type { Config } from './config';
import { ApiError, notFound } from './errors';
import type { Logger } from './logger';
import { locatePoint, type Analysers } from './analysis/analysers';
import { STRUCTURE_IDS } from './analysis/anatomy/labels';
import { buildAnalysers, type ModelRuntime } from './analysis/buildAnalysers';
import { AnalysisAdmission, runWithDeadline, type AdmissionTicket } from './analysis/limiter';
import { runAnalysis, type AnalysisInput } from './analysis/pipeline';
import { warmUpRefinement } from './analysis/refine';
import { DecodePool, defaultPoolSize } from './imaging/decodePool';
import { DialogueService } from './dialogue/turn';
import { prerefineFindings } from './dialogue/refinement';
import {
  findAnatomyMentionsIn,
  findSignMentionsIn,
  loadOntology,
  searchLexiconIn,
  setDefaultOntology,
  type Ontology,
} from './ontology';
import { SessionService } from './sessions/service';
import { MemoryStores } from './store/memoryStore';
import { SqliteStores } from './store/sqliteStore';
import { asyncFromSync, type AsyncStores, type StoreDescription } from './store/asyncTypes';
import { PgStores } from './store/pgStore';
import type { AnalysisEntry } from './store/types';
import { buildReport, type ReportOutput } from './report';

/** The composition root: every service the http layer calls, built once at start. */
export interface Services {
  ontology: Ontology;
  analysers: Analysers;
  analyses: {
    /**
     * Reserves an analysis slot and `bodyBytes` of the in-flight body budget before the body is
     * read (503 busy), after checking the live-analyses cap (429). Pass the ticket to `create`.
     */
    admit(bodyBytes: number): Promise<AdmissionTicket>;
    /** Runs the analysis; the ticket (admitted here when absent) is released when its work has stopped. */
    create(input: AnalysisInput, ticket?: AdmissionTicket): Promise<Analysis>;
    get(id: string): Promise<AnalysisEntry>;
    delete(id: string): Promise<void>;
  };
  sessions: SessionService;
  dialogue: DialogueService;
  locate(entry: AnalysisEntry, p: Point): Location;
  maskPng(entry: AnalysisEntry, structure: string): Promise<Buffer>;
  heatmapPng(entry: AnalysisEntry): Promise<Buffer>;
  searchLexicon(q: string): unknown[];
  report(sessionId: string, format: 'json' | 'text' | 'dicom-sr', lang?: Lang): Promise<ReportOutput>;
  modelStatus(): ModelStatus[];
  executionProvider(): {
    requested: Config['executionProvider'];
    active: Config['executionProvider'];
    fallbackReason: string | null;
  };
  store(): StoreDescription;
  close(): Promise<void>;
}

/** Structures with a mask PNG: the segmented ones and the two pairs (api.md 5.1). */
const MASK_STRUCTURE_IDS: readonly string[] = [...STRUCTURE_IDS, 'lungs', 'clavicles'];

/** The session and analysis stores the configuration selects: PostgreSQL, SQLite (default) or memory. */
async function openStores(config: Config, ttlMs: number): Promise<AsyncStores> {
  const cacheMaxBytes = config.limits.cacheMaxBytes;
  if (config.databaseUrl)
    return PgStores.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ttlMs, cacheMaxBytes });
  return asyncFromSync(
    config.store === 'memory'
      ? new MemoryStores(ttlMs)
      : new SqliteStores({ dataDir: config.dataDir, ttlMs, cacheMaxBytes }),
  );
}

/** Admission of an analysis: the live-analyses cap (429), then a slot and the body budget (503 busy). */
function admitter(config: Config, stores: AsyncStores): (bodyBytes: number) => Promise<AdmissionTicket> {
  const admission = new AnalysisAdmission(config.limits.maxConcurrentAnalyses, config.limits.maxInflightBodyBytes);
  return async (bodyBytes) => {
    const live = await stores.analysisStore.count?.();
    if (live !== undefined && live >= config.limits.maxAnalyses) {
      throw new ApiError('limit_exceeded', 'Too many live analyses; delete some or wait until they expire.', {
        limit: config.limits.maxAnalyses,
        resource: 'analyses',
      });
    }
    return admission.admit(bodyBytes);
  };
}

/** The ontology look-ups the dialogue needs. */
const ontologyLookups = (ontology: Ontology) => ({
  findAnatomy: (t: string) => findAnatomyMentionsIn(ontology, t),
  findSigns: (t: string) => findSignMentionsIn(ontology, t),
  signCategory: (id: string) => ontology.signById.get(id)?.category,
});

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const ontology = loadOntology(config.ontologyDir);
  // The report's and the sessions' look-ups (getOntology) read the same, configured ontology.
  setDefaultOntology(ontology);
  const runtime: ModelRuntime = await buildAnalysers(config, logger);
  const analysers = runtime.analysers;
  const ttlMs = config.limits.ttlSeconds * 1000;
  const stores = await openStores(config, ttlMs);
  const decodePool = new DecodePool({ size: defaultPoolSize(config.limits.maxConcurrentAnalyses) });
  await decodePool.ready();
  const admit = admitter(config, stores);
  const sessions = new SessionService(stores.analysisStore, stores.sessionStore, analysers, config.limits);
  const dialogue = new DialogueService(sessions, analysers, config.limits, ontologyLookups(ontology), ontology);

  // JIT warm-up of the focused re-analysis (analysis/refine/warmup.ts): a user's first refinement
  // then runs at steady-state speed (~0.2 s once at start-up; skipped under the unit tests)
  if (process.env.NODE_ENV !== 'test' && process.env.REFINE_WARMUP !== '0')
    logger.debug('refine warm-up', { ms: Math.round(warmUpRefinement()) });

  const getEntry = async (id: string): Promise<AnalysisEntry> => {
    const e = await stores.analysisStore.get(id);
    if (!e) throw notFound('analysis', id);
    return e;
  };

  const services: Services = {
    ontology,
    analysers,
    analyses: {
      admit,
      async create(input, ticket) {
        const held = ticket ?? (await admit(input.bytes.length));
        const run = runWithDeadline(async (signal) => {
          const entry = await runAnalysis(input, analysers, config.limits, ttlMs, {
            signal,
            decode: (b, t, o, l, sig) => decodePool.decode(b, t, o, l, sig),
          });
          signal.throwIfAborted();
          // the findings the first overview refines, refined now (issue 14: first refinement < 150 ms)
          prerefineFindings(entry);
          await stores.analysisStore.put(entry);
          return entry;
        }, config.limits.analysisTimeoutMs);
        // the slot is free again only once the work has stopped, not when the client gave up waiting
        void run.stopped.then(() => held.release());
        return (await run.result).analysis;
      },
      get: getEntry,
      async delete(id) {
        if (!(await stores.analysisStore.delete(id))) throw notFound('analysis', id);
      },
    },
    sessions,
    dialogue,
    locate(entry, p) {
      return locatePoint(analysers, entry.pixels.anatomyState, p, entry.analysis.image);
    },
    async maskPng(entry, structure) {
      if (structure === 'ribs' || structure === 'spine') throw notFound('structure', structure, 'not_segmented');
      if (!MASK_STRUCTURE_IDS.includes(structure)) throw notFound('structure', structure);
      if (!entry.pixels.anatomyState || !runtime.renderMask)
        throw new ApiError('model_unavailable', 'No anatomy model produced masks for this analysis.');
      return runtime.renderMask(entry, structure);
    },
    async heatmapPng(entry) {
      if (!entry.pixels.lesionState || !runtime.renderHeatmap)
        throw new ApiError('model_unavailable', 'No lesion model produced a heatmap for this analysis.');
      return runtime.renderHeatmap(entry);
    },
    searchLexicon: (q) => searchLexiconIn(ontology, q),
    report: (sessionId, format, lang) => buildReport({ sessions, ontology, analysers }, sessionId, format, lang),
    modelStatus: () => runtime.status(),
    executionProvider: () => runtime.executionProvider(),
    store: () => stores.describe(),
    close: async () => {
      await decodePool.close();
      await runtime.close();
      await stores.close();
    },
  };
  return services;
}
