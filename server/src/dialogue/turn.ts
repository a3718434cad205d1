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

/** Runs turns: understand → resolve → analyse → answer, one at a time per session. */
export class DialogueService {
  constructor(
    private sessions: SessionService,
    private analysers: Analysers,
    private limits: Limits,
    private deps: UnderstandingDeps,
    private ontology: Ontology,
    private handlers: Record<Intent, Handler> = HANDLERS,
  ) {}

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
    const s = { ...work.session };
    if (req.text.length > this.limits.maxTextLength) {
      throw new ApiError('invalid_request', 'The question text is too long.', {
        field: 'text',
        reason: 'text_too_long',
        limit: this.limits.maxTextLength,
        actual: req.text.length,
      });
    }
    if (s.turns.length >= this.limits.maxTurnsPerSession) {
      throw new ApiError('limit_exceeded', 'Too many turns in this session.', {
        limit: 'maxTurnsPerSession',
        actual: s.turns.length,
      });
    }
    const info = entry.analysis.image;
    const turnNumber = work.counters.turn + 1;
    const turnId = `T${turnNumber}`;
    const created: Anchor[] = [];
    const ctx: TurnContext = {
      state: work,
      entry,
      prior,
      lang: req.language ?? detectLanguage(req.text, s.language),
      understanding: null as never,
      resolved: [],
      analysers: this.analysers,
      ontology: this.ontology,
      turnId,
      newAnnotationId: () => `ann_${++work.counters.annotation}`,
      newAnchorId: () => this.sessions.nextAnchorId(work),
      anchor: (id) => work.session.anchors.find((a) => a.id === id) ?? created.find((a) => a.id === id),
    };

    let requestFocus: { anchorId: string; reason: 'focus_anchor' | 'clicked_point' } | null = null;
    if (req.focus && 'anchorId' in req.focus) {
      if (!ctx.anchor(req.focus.anchorId)) throw notFound('anchor', req.focus.anchorId);
      requestFocus = { anchorId: req.focus.anchorId, reason: 'focus_anchor' };
    } else if (req.focus && 'point' in req.focus) {
      const p = req.focus.point as Point;
      if (!(p[0] >= 0 && p[0] <= info.columns && p[1] >= 0 && p[1] <= info.rows))
        throw invalid('focus.point', 'The point lies outside the image.', 'out_of_bounds');
      const hit = work.session.anchors
        .filter((a) => a.kind === 'finding' || a.kind === 'user')
        .reverse()
        .find((a) => {
          const poly = geometryPolygon(a.geometry);
          return poly ? pointInPolygon(p, poly) : false;
        });
      if (hit) requestFocus = { anchorId: hit.id, reason: 'clicked_point' };
      else {
        const pointAnchor = this.sessions.makeUserAnchor(work, entry, { type: 'point', point: p }, { turnId });
        work.session.anchors.push(pointAnchor);
        created.push(pointAnchor);
        requestFocus = { anchorId: pointAnchor.id, reason: 'clicked_point' };
      }
    }

    const tu = process.hrtime.bigint();
    const understanding = understand(req.text, this.deps, { focusAnchorId: requestFocus?.anchorId ?? null });
    ctx.understanding = understanding;
    const understandMs = ms(tu);
    const tr0 = process.hrtime.bigint();
    // A checklist about the whole image (its `scope` in ontology/checklists) needs no subject.
    const checklistId = understanding.checklistId;
    const imageLevelChecklist = !!checklistId && this.ontology.checklistById.get(checklistId)?.scope === 'image';
    const resolved: ResolvedAnchor[] = resolveAnchors(
      {
        understanding,
        anchors: work.session.anchors,
        focusAnchorId: work.session.focusAnchorId,
        requestFocus,
        lastListed: work.lastListed,
        lang: ctx.lang,
        imageLevelChecklist,
      },
      (a) => {
        const f = a.findingId ? entry.analysis.findings.find((x) => x.id === a.findingId) : null;
        return f ? { shape: f.shape, border: f.border, type: f.type, diameter: f.diameterPx } : null;
      },
    );
    ctx.resolved = resolved;
    const resolveMs = ms(tr0);

    const ta = process.hrtime.bigint();
    let result: IntentResult;
    let clarification: Turn['clarification'] = null;
    if (resolved[0]?.reason === 'ambiguous') {
      const question = tr(
        ctx.lang,
        `您指的是哪一个?${resolved[0].explanation}。`,
        `Which one do you mean? ${resolved[0].explanation}.`,
      );
      clarification = {
        question,
        options: resolved[0].candidates.map((id) => ({ anchorId: id, text: ctx.anchor(id)?.label[ctx.lang] ?? id })),
      };
      result = {
        headline: question,
        sections: [
          section(
            'clarification',
            tr(ctx.lang, '请选择', 'Please choose'),
            clarification.options.map((o) => item(o.text, [o.anchorId])),
          ),
        ],
        suggestions: clarification.options.map((o) =>
          tr(
            ctx.lang,
            `${o.anchorId}${understanding.intent === 'size' ? '有多大?' : '呢?'}`,
            `What about ${o.anchorId}?`,
          ),
        ),
      };
    } else if (
      PER_SUBJECT.includes(understanding.intent) &&
      resolved.length > 1 &&
      resolved.every((r) => r.reason === 'all_findings')
    ) {
      result = forEachSubject(ctx, this.handlers[understanding.intent]);
    } else {
      result = this.handlers[understanding.intent](ctx);
    }
    const analyseMs = ms(ta);

    const tw = process.hrtime.bigint();
    const annotations = result.annotations ?? [];
    created.push(...(result.createdAnchors ?? []));
    for (const a of result.createdAnchors ?? [])
      if (!work.session.anchors.some((x) => x.id === a.id)) work.session.anchors.push(a);
    work.session.anchors.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
    const removed = new Set(result.removedAnnotationIds ?? []);
    for (const n of annotations) if (n.replaces) removed.add(n.replaces);
    work.session.annotations = applyAnnotations(work.session.annotations, annotations, removed);

    const previousFocus = s.focusAnchorId;
    if (result.focusAnchorId !== undefined && result.focusAnchorId !== null) {
      work.session.focusAnchorId = lineageRoot(work.session.anchors, result.focusAnchorId)?.id ?? result.focusAnchorId;
    }
    const sections = [...result.sections];
    const subject = resolved[0];
    if (
      subject?.anchorId &&
      previousFocus &&
      work.session.focusAnchorId !== previousFocus &&
      subject.reason !== 'recent_anchors'
    ) {
      // The focus never changes silently (api.md 10.5).
      const note = tr(
        ctx.lang,
        `焦点已从 ${previousFocus} 切换到 ${work.session.focusAnchorId}:${subject.explanation}。`,
        `Focus moved from ${previousFocus} to ${work.session.focusAnchorId}: ${subject.explanation}.`,
      );
      const first = sections[0];
      if (first) sections[0] = { ...first, items: [item(note, [work.session.focusAnchorId!]), ...first.items] };
    }
    if (result.listed) work.lastListed = result.listed;

    work.counters.turn = turnNumber;
    const turn: Turn = {
      id: turnId,
      index: turnNumber,
      createdAt: nowIso(),
      text: req.text,
      language: ctx.lang,
      understanding,
      resolvedAnchors: resolved,
      resolvedTargets: result.resolvedTargets ?? [],
      clarification,
      answer: { headline: result.headline, sections, suggestions: result.suggestions.slice(0, 4) },
      annotations,
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
