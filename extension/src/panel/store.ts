import { ApiCallError, type CopilotApi, type DicomwebRef } from '../api/client';
import type { Analysis, Anchor, Annotation, Lang, Session, Turn } from '../api/contract';
import type { ActiveImage, UserDrawing, UserDrawingEvents } from '../host/types';
import { errorText } from '../i18n/strings';
import { withAnchorMeasurements } from './anchorMeasurements';
import type { PriorCandidate } from './prior';

export type Phase = 'no_image' | 'analysing' | 'ready' | 'failed';
export interface Message {
  id: number;
  role: 'user' | 'assistant' | 'error';
  text: string;
  turn?: Turn;
}
export interface CopilotState {
  phase: Phase;
  /** OHIF's language; the panel has no language of its own. */
  lang: Lang;
  messages: Message[];
  anchors: Anchor[];
  pending: boolean;
  /** An anchor chosen in the findings list; sent as the next turn's focus (api.md 10.1). */
  focus: { anchorId: string } | null;
  /** True while the view is zoomed onto the focused anchor ("back to fit" undoes it). */
  zoomed: boolean;
  analysis: Analysis | null;
  /** Anchors whose drawings the user hid with the eye toggle. */
  hidden: string[];
  /** Whether the last failure may pass on a retry (5xx, 503, network): 4xx never do. */
  retryable: boolean;
  heatmap: { available: boolean; shown: boolean; opacity: number };
  prior: PriorState;
}

/** The comparison with an earlier radiograph (api.md 8.4): what the viewer offers and what is attached. */
export interface PriorState {
  /** The latest earlier CR/DX study of the same patient, as the viewer found it. */
  candidate: PriorCandidate | null;
  /** The prior attached to the session; `date` is the study date the viewer knows (null after a resume elsewhere). */
  attached: { analysisId: string; intervalDays: number | null; date: string | null } | null;
  busy: boolean;
  /** The prior's image is shown in a viewport beside the current one. */
  beside: boolean;
}
const NO_PRIOR: PriorState = { candidate: null, attached: null, busy: false, beside: false };

/** The state with no image open: no conversation, no findings, no prior (fresh arrays each time). */
const noImage = () => ({
  phase: 'no_image' as const,
  messages: [],
  anchors: [],
  pending: false,
  focus: null,
  zoomed: false,
  analysis: null,
  hidden: [],
  prior: NO_PRIOR,
});

/** Everything the store needs from the viewer (host/ in the page, a fake in unit tests). */
export interface HostPort {
  watchActiveImage(fn: (img: ActiveImage) => void): () => void;
  watchUserDrawings(img: ActiveImage, on: UserDrawingEvents): () => void;
  labelUserDrawing(uid: string, label: string): void;
  setDrawingTarget(imageId: string, rows: number, columns: number, lang: Lang): void;
  applyAnnotations(added: Annotation[], removedIds?: string[]): void;
  clearAll(): void;
  setHostLanguage(lang: Lang): void;
  ohifLanguage(): Lang;
  watchOhifLanguage(fn: (lang: Lang) => void): () => void;
  zoomTo(imageId: string, box: [number, number, number, number]): void;
  resetView(): void;
  highlightAnchor(anchorId: string | null): void;
  /** The anchors' lineage (a refinement belongs to its finding) for highlighting, hiding and labels. */
  setAnchorLineage(anchors: { id: string; parentId: string | null }[]): void;
  setAnchorVisible(anchorId: string, visible: boolean): void;
  getImageBytes(imageId: string): Promise<ArrayBuffer>;
  dicomwebEnabled(): boolean;
  /** Where the session of an image is remembered across OHIF's page reloads (sessionStorage in the page). */
  memory: { get(key: string): string | null; set(key: string, value: string): void };
  hasHeatmap(): boolean;
  toggleHeatmap(force?: boolean): boolean;
  setHeatmapOpacity(opacity: number): void;
  /** The latest earlier CR/DX study of the patient shown (optional: a host without a study list has none). */
  findPriorStudy?(img: ActiveImage): Promise<PriorCandidate | null>;
  /** The prior study's frontal image as a DICOMweb reference (null when it has none). */
  priorImageRef?(candidate: PriorCandidate): Promise<DicomwebRef | null>;
  /** The prior's image in a second viewport beside the current one (false: one viewport again). */
  showPriorBeside?(sopInstanceUID: string, beside: boolean): Promise<boolean>;
}

/** An error worth retrying: the server or the network failed, not the request. */
export function isTransient(e: ApiCallError): boolean {
  return e.status === 0 ? e.code === 'network_error' : e.status >= 500;
}

/** One remembered session per image (and frame). */
const memoryKey = (img: ActiveImage): string => `cxr-copilot-session:${img.sopInstanceUID}:${img.frame}`;
/** The date of the prior a session was given, for the panel after a reload (the server returns only the interval). */
const priorKey = (sessionId: string): string => `cxr-copilot-prior:${sessionId}`;

/** The image-space box of an anchor's geometry, to zoom onto it. */
function anchorBox(a: Anchor): [number, number, number, number] {
  const g = a.geometry;
  const pts =
    g.type === 'point'
      ? [g.point]
      : g.type === 'ellipse'
        ? [
            [g.center[0] - g.radii[0], g.center[1] - g.radii[0]],
            [g.center[0] + g.radii[0], g.center[1] + g.radii[0]],
          ]
        : g.points;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * The conversation state machine (image shown → analysis → session → turns), kept outside React so
 * it survives the panel being hidden when the user switches to another side-panel tab. All viewer
 * side effects go through the injected host. A generation number drops answers for an image no
 * longer shown.
 */
export class CopilotStore {
  private state: CopilotState;
  private listeners = new Set<() => void>();
  private image: ActiveImage | null = null;
  private session: Session | null = null;
  private generation = 0;
  private nextId = 1;
  private queued: UserDrawing[] = [];
  private anchorOfDrawing = new Map<string, string>();
  private unwatch: (() => void)[] = [];
  private unwatchDrawings: (() => void) | null = null;

  constructor(
    readonly api: CopilotApi,
    private readonly host: HostPort,
  ) {
    this.state = {
      ...noImage(),
      lang: host.ohifLanguage(),
      retryable: false,
      heatmap: { available: false, shown: false, opacity: 0.6 },
    };
  }

  get = (): CopilotState => this.state;
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  private set(patch: Partial<CopilotState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((fn) => fn());
  }
  /** New anchors: the host learns their lineage before anything is highlighted or hidden. */
  private setAnchors(anchors: Anchor[]): void {
    this.host.setAnchorLineage(anchors);
    this.set({ anchors });
  }
  private push(m: Omit<Message, 'id'>): void {
    this.set({ messages: [...this.state.messages, { ...m, id: this.nextId++ }] });
  }
  private fail(e: unknown): ApiCallError {
    const err = e instanceof ApiCallError ? e : new ApiCallError('internal_error', String(e), 0);
    this.push({ role: 'error', text: errorText(err.code, this.state.lang, err.message) });
    return err;
  }

  /** Starts following the active viewport and OHIF's language (idempotent). */
  start(): void {
    if (this.unwatch.length) return;
    this.unwatch = [
      this.host.watchActiveImage((img) => {
        if (img.imageId !== this.image?.imageId && !this.isPriorBeside(img)) void this.open(img);
      }),
      this.host.watchOhifLanguage((lang) => this.setLang(lang)),
    ];
  }

  /** Forgets everything (mode exit). */
  stop(): void {
    this.unwatch.forEach((u) => u());
    this.unwatch = [];
    this.unwatchDrawings?.();
    this.unwatchDrawings = null;
    this.generation++;
    this.image = null;
    this.session = null;
    this.set(noImage());
  }

  /** OHIF's language changed: labels and measurements are redrawn in it. */
  setLang(lang: Lang): void {
    if (lang === this.state.lang) return;
    this.host.setHostLanguage(lang);
    this.set({ lang });
  }

  private async open(img: ActiveImage): Promise<void> {
    const gen = ++this.generation;
    this.image = img;
    this.session = null;
    this.queued = [];
    this.anchorOfDrawing.clear();
    this.unwatchDrawings?.();
    this.unwatchDrawings = this.host.watchUserDrawings(img, {
      completed: (d) => void this.postAnchor(d),
      removed: (uid) => this.dropAnchor(uid),
    });
    this.set({
      phase: 'analysing',
      messages: [],
      anchors: [],
      focus: null,
      zoomed: false,
      analysis: null,
      pending: false,
      hidden: [],
      retryable: false,
      heatmap: { ...this.state.heatmap, available: false, shown: false },
      prior: NO_PRIOR,
    });
    this.host.setHostLanguage(this.state.lang);
    this.host.setDrawingTarget(img.imageId, img.rows, img.columns, this.state.lang);
    try {
      const resumed = await this.resume(img);
      if (gen !== this.generation) return;
      const analysis = resumed?.analysis ?? (await this.analyse(img));
      if (gen !== this.generation) return;
      const session = resumed?.session ?? (await this.api.createSession(analysis.id, this.state.lang));
      if (gen !== this.generation) return;
      this.session = session;
      this.host.memory.set(memoryKey(img), session.id);
      this.host.setAnchorLineage(session.anchors);
      this.host.applyAnnotations(withAnchorMeasurements(session.annotations, session.anchors));
      const messages = session.turns.flatMap((turn): Message[] => [
        { id: this.nextId++, role: 'user', text: turn.text },
        { id: this.nextId++, role: 'assistant', text: turn.answer.headline, turn },
      ]);
      this.set({ phase: 'ready', analysis, anchors: session.anchors, messages });
      this.syncHeatmap();
      void this.lookForPrior(img, gen, session);
      for (const d of this.queued.splice(0)) await this.postAnchor(d);
    } catch (e) {
      if (gen !== this.generation) return;
      const err = this.fail(e);
      this.set({ phase: 'failed', retryable: isTransient(err) });
    }
  }

  /**
   * The session this tab had for the same image before OHIF reloaded the page (its language switch
   * does), if the server still has it: the conversation goes on where it was.
   */
  private async resume(img: ActiveImage): Promise<{ session: Session; analysis: Analysis } | null> {
    const id = this.host.memory.get(memoryKey(img));
    if (!id) return null;
    try {
      const session = await this.api.getSession(id);
      return { session, analysis: await this.api.getAnalysis(session.analysisId) };
    } catch {
      return null; // expired or unknown: a fresh analysis follows
    }
  }

  retry = (): void => {
    if (this.image && this.state.retryable) void this.open(this.image);
  };

  private async postAnchor(d: UserDrawing): Promise<void> {
    const s = this.session;
    if (!s) {
      this.queued.push(d);
      return;
    }
    try {
      const anchor = await this.api.addAnchor(s.id, d.geometry, d.uid);
      if (s !== this.session) return;
      this.anchorOfDrawing.set(d.uid, anchor.id);
      this.host.labelUserDrawing(d.uid, anchor.id);
      this.setAnchors([...this.state.anchors, anchor]);
    } catch (e) {
      if (s === this.session) this.fail(e);
    }
  }

  private dropAnchor(uid: string): void {
    const s = this.session;
    const anchorId = this.anchorOfDrawing.get(uid);
    if (!s || !anchorId) return;
    this.anchorOfDrawing.delete(uid);
    this.setAnchors(this.state.anchors.filter((a) => a.id !== anchorId && a.parentId !== anchorId));
    this.api.deleteAnchor(s.id, anchorId).catch(() => undefined);
  }

  /** Sends one question; a second one while an answer is pending is ignored, so answers stay in order. */
  ask = async (text: string): Promise<void> => {
    const s = this.session;
    const q = text.trim();
    if (!s || !q || this.state.pending) return;
    const gen = this.generation;
    const focus = this.state.focus;
    this.push({ role: 'user', text: q });
    this.set({ pending: true });
    try {
      const turn = await this.api.turn(s.id, focus ? { text: q, focus } : { text: q });
      if (gen !== this.generation) return;
      // Anchors change on any turn (new ones, or a finding's size replaced by its refined one, api.md 6.1);
      // they are read first because a comparison's labels list its new anchor's measurements. Without
      // them (a failed read) the answer is still drawn and shown; the next turn reads them again.
      const fresh = await this.api.getSession(s.id).catch(() => null);
      if (gen !== this.generation) return;
      // The lineage first, so that new drawings and their measurement rows name their finding (A1, not A3).
      if (fresh) this.setAnchors(fresh.anchors);
      const anchors = fresh?.anchors ?? this.state.anchors;
      this.host.applyAnnotations(withAnchorMeasurements(turn.annotations, anchors), turn.removedAnnotationIds);
      this.push({ role: 'assistant', text: turn.answer.headline, turn });
      this.syncHeatmap(turn.annotations.some((a) => a.kind === 'heatmap' && a.style.visible));
      // The focus is the subject of one question; the zoom and highlight stay until "back to fit".
      this.set({ focus: null });
    } catch (e) {
      if (gen === this.generation) this.fail(e);
    } finally {
      if (gen === this.generation) this.set({ pending: false });
    }
  };

  /** Zooms onto an anchor, highlights its drawing and makes it the next question's subject. */
  focusAnchor = (a: Anchor): void => {
    if (this.image) this.host.zoomTo(this.image.imageId, anchorBox(a));
    this.host.highlightAnchor(a.id);
    this.set({ focus: { anchorId: a.id }, zoomed: true });
  };

  /** "Back to fit": the whole image again, nothing highlighted, no subject. */
  clearFocus = (): void => {
    this.host.resetView();
    this.host.highlightAnchor(null);
    this.set({ focus: null, zoomed: false });
  };

  toggleAnchor = (anchorId: string): void => {
    const shown = !this.state.hidden.includes(anchorId);
    this.host.setAnchorVisible(anchorId, !shown);
    this.set({ hidden: shown ? [...this.state.hidden, anchorId] : this.state.hidden.filter((id) => id !== anchorId) });
  };

  /** Heatmap on/off (the panel's switch and the toolbar button share this state). */
  toggleHeatmap = (): void => {
    if (!this.host.hasHeatmap()) return;
    const shown = this.host.toggleHeatmap(!this.state.heatmap.shown);
    this.set({ heatmap: { ...this.state.heatmap, shown } });
  };

  setHeatmapOpacity = (opacity: number): void => {
    this.host.setHeatmapOpacity(opacity);
    this.set({ heatmap: { ...this.state.heatmap, opacity } });
  };

  /** After new annotations: a heatmap the answer asked to show turns the switch on; else the switch decides. */
  private syncHeatmap(requested = false): void {
    const available = this.host.hasHeatmap();
    const shown = available && (requested || this.state.heatmap.shown);
    if (available) {
      this.host.toggleHeatmap(shown);
      this.host.setHeatmapOpacity(this.state.heatmap.opacity);
    }
    this.set({ heatmap: { ...this.state.heatmap, available, shown } });
  }

  private setPrior(patch: Partial<PriorState>): void {
    this.set({ prior: { ...this.state.prior, ...patch } });
  }

  /** The prior the session already has (a resumed session), then the patient's latest earlier radiograph. */
  private async lookForPrior(img: ActiveImage, gen: number, session: Session): Promise<void> {
    if (session.prior) {
      const { analysisId, intervalDays } = session.prior;
      this.setPrior({ attached: { analysisId, intervalDays, date: this.host.memory.get(priorKey(session.id)) } });
    }
    if (!this.host.findPriorStudy || img.source !== 'dicomweb') return;
    try {
      const candidate = await this.host.findPriorStudy(img);
      if (gen === this.generation) this.setPrior({ candidate });
    } catch {
      // No study list (a query the server refuses): nothing is offered, the rest works as before.
    }
  }

  /**
   * "Compare with prior": the prior's frontal image is analysed by its DICOMweb reference, as the
   * current one is, and attached to the session (PUT prior). The server gets only the analysis id.
   */
  attachPrior = async (): Promise<void> => {
    const s = this.session;
    const c = this.state.prior.candidate;
    if (!s || !c || this.state.prior.busy || !this.host.priorImageRef) return;
    const gen = this.generation;
    this.setPrior({ busy: true });
    try {
      const ref = await this.host.priorImageRef(c);
      if (!ref) throw new ApiCallError('no_prior_image', 'The prior study has no frontal radiograph.', 0);
      const analysis = await this.api.analyseDicomweb(ref);
      if (gen !== this.generation) return;
      const fresh = await this.api.putPrior(s.id, analysis.id);
      if (gen !== this.generation) return;
      this.host.memory.set(priorKey(s.id), c.date);
      this.setPrior({
        attached: { analysisId: analysis.id, intervalDays: fresh.prior?.intervalDays ?? null, date: c.date },
      });
      this.setAnchors(fresh.anchors);
    } catch (e) {
      if (gen === this.generation) this.fail(e);
    } finally {
      if (gen === this.generation) this.setPrior({ busy: false });
    }
  };

  /** The prior shown beside the current film is looked at, not talked about: the conversation stays. */
  private isPriorBeside(img: ActiveImage): boolean {
    const { beside, candidate } = this.state.prior;
    return beside && !!this.image && img.studyInstanceUID === candidate?.studyInstanceUid;
  }

  /** Shows the prior in a viewport beside the current film, or goes back to one viewport. */
  toggleBeside = async (): Promise<void> => {
    const { candidate, beside, busy } = this.state.prior;
    if (!candidate || busy || !this.host.showPriorBeside || !this.host.priorImageRef) return;
    this.setPrior({ busy: true });
    try {
      const ref = await this.host.priorImageRef(candidate);
      const shown = ref ? await this.host.showPriorBeside(ref.sopInstanceUID, !beside) : false;
      if (shown) this.setPrior({ beside: !beside });
    } catch (e) {
      this.fail(e);
    } finally {
      this.setPrior({ busy: false });
    }
  };

  /** Removes the prior from the session (DELETE prior); the candidate stays offered. */
  detachPrior = async (): Promise<void> => {
    const s = this.session;
    if (!s || !this.state.prior.attached || this.state.prior.busy) return;
    const gen = this.generation;
    this.setPrior({ busy: true });
    try {
      await this.api.deletePrior(s.id);
      if (gen !== this.generation) return;
      this.setPrior({ attached: null });
      if (this.state.prior.beside && this.host.showPriorBeside) {
        await this.host.showPriorBeside('', false);
        this.setPrior({ beside: false });
      }
      await this.dropStaleComparison(s.id, gen);
    } catch (e) {
      if (gen === this.generation) this.fail(e);
    } finally {
      if (gen === this.generation) this.setPrior({ busy: false });
    }
  };

  /**
   * After the prior is removed, the server's session decides what stays drawn: comparison drawings
   * it no longer lists are removed from the image, and its anchors replace ours.
   */
  private async dropStaleComparison(sessionId: string, gen: number): Promise<void> {
    const fresh = await this.api.getSession(sessionId);
    if (gen !== this.generation) return;
    const kept = new Set(fresh.annotations.map((a) => a.id));
    const stale = this.state.messages
      .flatMap((m) => (m.turn?.understanding.intent === 'compare_prior' ? m.turn.annotations : []))
      .map((a) => a.id)
      .filter((id) => !kept.has(id));
    if (stale.length) this.host.applyAnnotations([], stale);
    this.setAnchors(fresh.anchors);
  }

  /** The current session id (commands such as "store SR" need it). */
  sessionId(): string | null {
    return this.session?.id ?? null;
  }
  currentImage(): ActiveImage | null {
    return this.image;
  }

  /** POST /analyses by DICOMweb reference when the image came from DICOMweb, else with the file's bytes. */
  private async analyse(img: ActiveImage): Promise<Analysis> {
    if (img.source === 'dicomweb' && this.host.dicomwebEnabled()) {
      try {
        return await this.api.analyseDicomweb({
          studyInstanceUID: img.studyInstanceUID,
          seriesInstanceUID: img.seriesInstanceUID,
          sopInstanceUID: img.sopInstanceUID,
          frame: img.frame,
        });
      } catch (e) {
        // The viewer's DICOMweb source may not be the server's; the file's bytes still work then.
        if (!(e instanceof ApiCallError) || !['dicomweb_unavailable', 'not_found'].includes(e.code)) throw e;
      }
    }
    let bytes: ArrayBuffer;
    try {
      bytes = await this.host.getImageBytes(img.imageId);
    } catch {
      throw new ApiCallError('no_image_bytes', 'Could not read the image file.', 0);
    }
    return this.api.analyseBytes(bytes);
  }
}
