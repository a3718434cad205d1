import type { Anchor, Annotation, Intent, Point, ResolvedAnchor, Turn, TurnRequest } from '../contract';
import type { Limits } from '../config';
import { ApiError, invalid, notFound } from '../errors';
import { nowIso } from '../ids';
import type { Analysers } from '../analysis/analysers';
import { pointInPolygon } from '../geometry/polygon';
import { geometryPolygon } from '../geometry/shapes';
import { lineageRoot } from '../sessions/anchors';
import type { SessionService } from '../sessions/service';
import type { Ontology } from '../ontology';
import type { AnalysisEntry, SessionState } from '../store/types';
import { item, section, tr, type IntentResult, type TurnContext } from './context';
import { cardiothoracicRatio, showAnatomy } from './intents/anatomy';
import { distance } from './intents/distance';
import { help, unknown } from './intents/help';
import { location } from './intents/location';
import { overview } from './intents/overview';
import { report } from './intents/report';
import { checklist } from './intents/checklist';
import { compare } from './intents/compare';
import { relationLandmark } from './intents/relation';
import { density, describeFinding, margin } from './intents/signs';
import { size } from './intents/size';
import { comparePrior } from './intents/comparePrior';
import { compareSide } from './intents/compareSide';
import { differential } from './intents/differential';
import { explain } from './intents/explain';
import { recommendation } from './intents/recommendation';
import { detectLanguage } from './normalize';
import { resolveAnchors } from './resolve';
import { understand, type UnderstandingDeps } from './understand';

type Handler = (ctx: TurnContext) => IntentResult;

/** One handler per intent; the table is the dialogue's table of contents. */
export const HANDLERS: Record<Intent, Handler> = {
  help,
  unknown,
  size,
  distance,
  location,
  overview,
  show_anatomy: showAnatomy,
  cardiothoracic_ratio: cardiothoracicRatio,
  describe_finding: describeFinding,
  margin,
  density,
  relation_landmark: relationLandmark,
  checklist,
  compare,
  report,
  recommendation,
  differential,
  compare_side: compareSide,
  compare_prior: comparePrior,
  explain,
};

const ms = (t0: bigint) => Math.round(Number(process.hrtime.bigint() - t0) / 1e5) / 10;

/** Start-up questions of every kind of wording (zh, en, ids, anatomy, signs) for the warm-up. */
const WARM_UP = [
  '肺部是否有异常?',
  'A1边缘是否规则?',
  'A1距离右肺门有多远?',
  '什么是毛刺征?',
  'is anything abnormal?',
  'how far is A1 from the right hilum?',
  'compare A1 and A2',
];

/** Runs turns: understand → resolve → analyse → answer, one at a time per session. */
export class DialogueService {
  constructor(
    private sessions: SessionService,
    private analysers: Analysers,
    private limits: Limits,
    private deps: UnderstandingDeps,
    private ontology: Ontology,
    private handlers: Record<Intent, Handler> = HANDLERS,
  ) {
    // The first understanding in a process runs the cue regexes, the lexicon and the typo tables cold
    // (≈ 60 ms measured on a 2048² film's first overview); running a few questions at start-up keeps that
    // off the first user's turn. Skipped under the unit tests; DIALOGUE_WARMUP=0 turns it off.
    if (process.env.NODE_ENV !== 'test' && process.env.DIALOGUE_WARMUP !== '0')
      for (const q of WARM_UP) understand(q, deps);
  }

  /**
   * One turn under the session's lock: turns of a session run one at a time in arrival order,
   * across replicas too (api.md 10.1), and a turn is written wholly or not at all.
   */
  turn(sessionId: string, req: TurnRequest): Promise<Turn> {
    if (!req.text.trim()) return Promise.reject(invalid('text', 'The question text is empty.'));
    const t0 = process.hrtime.bigint();
    return this.sessions.update(sessionId, async (work, entry) =>
      this.runTurn(work, entry, req, t0, await this.sessions.priorEntry(work)),
    );
  }

  private runTurn(
    work: SessionState,
    entry: AnalysisEntry,
    req: TurnRequest,
    t0: bigint,
    prior: AnalysisEntry | null = null,
  ): Turn {
    this.checkLimits(work, req);
    const previousFocus = work.session.focusAnchorId;
    const turnNumber = work.counters.turn + 1;
    const created: Anchor[] = [];
    const ctx = this.newContext(work, entry, req, prior, `T${turnNumber}`, created);
    const requestFocus = this.requestFocusOf(ctx, req, created);

    const tu = process.hrtime.bigint();
    // an elliptical follow-up ("那A2呢", "does A1 have it") repeats the previous turn's question (carry.ts)
    const previous = work.session.turns[work.session.turns.length - 1]?.understanding ?? null;
    ctx.understanding = understand(req.text, this.deps, { focusAnchorId: requestFocus?.anchorId ?? null, previous });
    const understandMs = ms(tu);
    const tr0 = process.hrtime.bigint();
    ctx.resolved = this.resolve(ctx, requestFocus);
    const resolveMs = ms(tr0);

    const ta = process.hrtime.bigint();
    const clarification = clarificationOf(ctx);
    const result = clarification ? clarifyingAnswer(ctx, clarification) : this.answer(ctx);
    const analyseMs = ms(ta);

    const tw = process.hrtime.bigint();
    applyResult(work, result, created);
    const sections = withFocusNote(ctx, result, previousFocus);
    if (result.listed) work.lastListed = result.listed;
    work.counters.turn = turnNumber;
    const turn: Turn = {
      id: ctx.turnId,
      index: turnNumber,
      createdAt: nowIso(),
      text: req.text,
      language: ctx.lang,
      understanding: ctx.understanding,
      resolvedAnchors: ctx.resolved,
      resolvedTargets: result.resolvedTargets ?? [],
      clarification,
      answer: { headline: result.headline, sections, suggestions: result.suggestions.slice(0, 4) },
      annotations: result.annotations ?? [],
      removedAnnotationIds: [...(result.removedAnnotationIds ?? [])],
      createdAnchorIds: created.map((a) => a.id),
      focusAnchorId: work.session.focusAnchorId,
      checklist: result.checklist ?? null,
      links: result.links ?? [],
      timingsMs: {
        understand: understandMs,
        resolve: resolveMs,
        analyse: analyseMs,
        answer: ms(tw),
        total: 0,
        refinementCache: result.refinementCache ?? null,
      },
    };
    turn.timingsMs.total = ms(t0);
    work.session.turns.push(turn);
    return turn;
  }

  /** The request's size limits (api.md 12). */
  private checkLimits(work: SessionState, req: TurnRequest): void {
    if (req.text.length > this.limits.maxTextLength) {
      throw new ApiError('invalid_request', 'The question text is too long.', {
        field: 'text',
        reason: 'text_too_long',
        limit: this.limits.maxTextLength,
        actual: req.text.length,
      });
    }
    if (work.session.turns.length >= this.limits.maxTurnsPerSession) {
      throw new ApiError('limit_exceeded', 'Too many turns in this session.', {
        limit: 'maxTurnsPerSession',
        actual: work.session.turns.length,
      });
    }
  }

  private newContext(
    work: SessionState,
    entry: AnalysisEntry,
    req: TurnRequest,
    prior: AnalysisEntry | null,
    turnId: string,
    created: Anchor[],
  ): TurnContext {
    return {
      state: work,
      entry,
      prior,
      lang: req.language ?? detectLanguage(req.text, work.session.language),
      understanding: null as never,
      resolved: [],
      analysers: this.analysers,
      ontology: this.ontology,
      turnId,
      newAnnotationId: () => `ann_${++work.counters.annotation}`,
      newAnchorId: () => this.sessions.nextAnchorId(work),
      anchor: (id) => work.session.anchors.find((a) => a.id === id) ?? created.find((a) => a.id === id),
    };
  }

  /** The request's focus: a clicked anchor, or the finding/region under a clicked point, or a new point anchor. */
  private requestFocusOf(ctx: TurnContext, req: TurnRequest, created: Anchor[]): RequestFocus | null {
    if (req.focus && 'anchorId' in req.focus) {
      if (!ctx.anchor(req.focus.anchorId)) throw notFound('anchor', req.focus.anchorId);
      return { anchorId: req.focus.anchorId, reason: 'focus_anchor' };
    }
    if (!req.focus || !('point' in req.focus)) return null;
    const p = req.focus.point as Point;
    const info = ctx.entry.analysis.image;
    if (!(p[0] >= 0 && p[0] <= info.columns && p[1] >= 0 && p[1] <= info.rows))
      throw invalid('focus.point', 'The point lies outside the image.', 'out_of_bounds');
    const work = ctx.state;
    const hit = work.session.anchors
      .filter((a) => a.kind === 'finding' || a.kind === 'user')
      .reverse()
      .find((a) => {
        const poly = geometryPolygon(a.geometry);
        return poly ? pointInPolygon(p, poly) : false;
      });
    if (hit) return { anchorId: hit.id, reason: 'clicked_point' };
    const pointAnchor = this.sessions.makeUserAnchor(
      work,
      ctx.entry,
      { type: 'point', point: p },
      { turnId: ctx.turnId },
    );
    work.session.anchors.push(pointAnchor);
    created.push(pointAnchor);
    return { anchorId: pointAnchor.id, reason: 'clicked_point' };
  }

  private resolve(ctx: TurnContext, requestFocus: RequestFocus | null): ResolvedAnchor[] {
    const work = ctx.state;
    // A checklist about the whole image (its `scope` in ontology/checklists) needs no subject.
    const checklistId = ctx.understanding.checklistId;
    const imageLevelChecklist = !!checklistId && this.ontology.checklistById.get(checklistId)?.scope === 'image';
    const findings = ctx.entry.analysis.findings;
    return resolveAnchors(
      {
        understanding: ctx.understanding,
        anchors: work.session.anchors,
        focusAnchorId: work.session.focusAnchorId,
        requestFocus,
        lastListed: work.lastListed,
        lang: ctx.lang,
        imageLevelChecklist,
      },
      (a) => {
        const f = a.findingId ? findings.find((x) => x.id === a.findingId) : null;
        return f ? { shape: f.shape, border: f.border, type: f.type, diameter: f.diameterPx } : null;
      },
    );
  }

  /** The intent's handler, once per finding when "all of them" is asked of a single-subject intent. */
  private answer(ctx: TurnContext): IntentResult {
    const intent = ctx.understanding.intent;
    const resolved = ctx.resolved;
    const perFinding =
      PER_SUBJECT.includes(intent) && resolved.length > 1 && resolved.every((r) => r.reason === 'all_findings');
    return perFinding ? forEachSubject(ctx, this.handlers[intent]) : this.handlers[intent](ctx);
  }
}

type RequestFocus = { anchorId: string; reason: 'focus_anchor' | 'clicked_point' };

/** The clarifying question when the reference is ambiguous (api.md 10.5), else null. */
function clarificationOf(ctx: TurnContext): Turn['clarification'] {
  const first = ctx.resolved[0];
  if (first?.reason !== 'ambiguous') return null;
  return {
    question: tr(ctx.lang, `您指的是哪一个?${first.explanation}。`, `Which one do you mean? ${first.explanation}.`),
    options: first.candidates.map((id) => ({ anchorId: id, text: ctx.anchor(id)?.label[ctx.lang] ?? id })),
  };
}

function clarifyingAnswer(ctx: TurnContext, c: NonNullable<Turn['clarification']>): IntentResult {
  const askSize = ctx.understanding.intent === 'size';
  return {
    headline: c.question,
    sections: [
      section(
        'clarification',
        tr(ctx.lang, '请选择', 'Please choose'),
        c.options.map((o) => item(o.text, [o.anchorId])),
      ),
    ],
    suggestions: c.options.map((o) =>
      tr(ctx.lang, `${o.anchorId}${askSize ? '有多大?' : '呢?'}`, `What about ${o.anchorId}?`),
    ),
  };
}

/** The answer's new anchors and annotations into the session (anchors kept in id order). */
function applyResult(work: SessionState, result: IntentResult, created: Anchor[]): void {
  created.push(...(result.createdAnchors ?? []));
  for (const a of result.createdAnchors ?? [])
    if (!work.session.anchors.some((x) => x.id === a.id)) work.session.anchors.push(a);
  work.session.anchors.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  const annotations = result.annotations ?? [];
  const removed = new Set(result.removedAnnotationIds ?? []);
  for (const n of annotations) if (n.replaces) removed.add(n.replaces);
  work.session.annotations = applyAnnotations(work.session.annotations, annotations, removed);
  if (result.focusAnchorId !== undefined && result.focusAnchorId !== null) {
    work.session.focusAnchorId = lineageRoot(work.session.anchors, result.focusAnchorId)?.id ?? result.focusAnchorId;
  }
}

/** The answer's sections, led by a note when the focus moved: it never changes silently (api.md 10.5). */
function withFocusNote(ctx: TurnContext, result: IntentResult, previousFocus: string | null): IntentResult['sections'] {
  const sections = [...result.sections];
  const subject = ctx.resolved[0];
  const focus = ctx.state.session.focusAnchorId;
  if (!subject?.anchorId || !previousFocus || focus === previousFocus || subject.reason === 'recent_anchors')
    return sections;
  const note = tr(
    ctx.lang,
    `焦点已从 ${previousFocus} 切换到 ${focus}:${subject.explanation}。`,
    `Focus moved from ${previousFocus} to ${focus}: ${subject.explanation}.`,
  );
  const first = sections[0];
  if (first) sections[0] = { ...first, items: [item(note, [focus!]), ...first.items] };
  return sections;
}

/** Single-subject intents that "所有结节 / all of them" runs once per finding. */
const PER_SUBJECT: Intent[] = ['size', 'describe_finding', 'margin', 'density', 'location'];

/** Runs a single-subject handler for each resolved subject and merges the answers in order. */
function forEachSubject(ctx: TurnContext, handler: Handler): IntentResult {
  const all = ctx.resolved;
  const parts = all.map((r) => handler({ ...ctx, resolved: [r] }));
  ctx.resolved = all;
  return {
    headline: parts.map((p) => p.headline).join(ctx.lang === 'zh' ? '' : ' '),
    sections: parts.flatMap((p) => p.sections),
    suggestions: parts[0]?.suggestions ?? [],
    annotations: parts.flatMap((p) => p.annotations ?? []),
    createdAnchors: parts.flatMap((p) => p.createdAnchors ?? []),
    focusAnchorId: parts[0]?.focusAnchorId,
    refinementCache: parts.some((p) => p.refinementCache === 'miss') ? 'miss' : (parts[0]?.refinementCache ?? null),
  };
}

/** Applies a turn's annotations to the current set: removals first, then add or update by id (api.md 11). */
export function applyAnnotations(current: Annotation[], added: Annotation[], removed: Set<string>): Annotation[] {
  const out = current.filter((a) => !removed.has(a.id));
  for (const a of added) {
    const i = out.findIndex((x) => x.id === a.id);
    if (i >= 0) out[i] = a;
    else out.push(a);
  }
  return out;
}
