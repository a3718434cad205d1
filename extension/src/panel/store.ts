import { ApiCallError, CopilotApi } from '../api/client';
import type { Analysis, Anchor, Lang, Session } from '../api/contract';
import * as host from '../host';
import { defaultLang, errorText } from '../i18n/strings';
import type { Turn } from '../api/contract';

export type Phase = 'no_image' | 'analysing' | 'ready' | 'failed';
export interface Message { id: number; role: 'user' | 'assistant' | 'error'; text: string; turn?: Turn }
export interface CopilotState {
  phase: Phase;
  lang: Lang;
  messages: Message[];
  anchors: Anchor[];
  pending: boolean;
  /** An anchor chosen with a chip; sent as the next turn's focus (api.md 10.1). */
  focus: { anchorId: string } | null;
  analysis: Analysis | null;
}

/**
 * The conversation state machine (image shown → analysis → session → turns), kept outside React so
 * it survives the panel being hidden when the user switches to another side-panel tab. All viewer
 * side effects go through host/. A generation number drops answers for an image no longer shown.
 */
export class CopilotStore {
  private state: CopilotState = { phase: 'no_image', lang: defaultLang(), messages: [], anchors: [], pending: false, focus: null, analysis: null };
  private listeners = new Set<() => void>();
  private image: host.ActiveImage | null = null;
  private session: Session | null = null;
  private generation = 0;
  private nextId = 1;
  private queued: host.UserDrawing[] = [];
  private anchorOfDrawing = new Map<string, string>();
  private timer: number | null = null;
  private unwatch: (() => void) | null = null;

  constructor(readonly api: CopilotApi) {}

  get = (): CopilotState => this.state;
  subscribe = (fn: () => void): (() => void) => { this.listeners.add(fn); return () => this.listeners.delete(fn); };
  private set(patch: Partial<CopilotState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((fn) => fn());
  }
  private push(m: Omit<Message, 'id'>): void { this.set({ messages: [...this.state.messages, { ...m, id: this.nextId++ }] }); }
  private fail(e: unknown): void {
    const err = e instanceof ApiCallError ? e : new ApiCallError('internal_error', String(e), 0);
    this.push({ role: 'error', text: errorText(err.code, this.state.lang, err.message) });
  }

  /** Starts following the active viewport (idempotent). */
  start(): void {
    if (this.timer !== null) return;
    const tick = () => {
      const img = host.getActiveImage();
      host.attachHover();
      if (img && img.imageId !== this.image?.imageId) void this.open(img);
    };
    tick();
    this.timer = window.setInterval(tick, 1000);
  }

  /** Forgets everything (mode exit). */
  stop(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    this.unwatch?.();
    this.unwatch = null;
    this.generation++;
    this.image = null;
    this.session = null;
    host.detachHover();
    this.set({ phase: 'no_image', messages: [], anchors: [], pending: false, focus: null, analysis: null });
  }

  setLang(lang: Lang): void { host.setHostLanguage(lang); this.set({ lang }); }

  private async open(img: host.ActiveImage): Promise<void> {
    const gen = ++this.generation;
    this.image = img;
    this.session = null;
    this.queued = [];
    this.anchorOfDrawing.clear();
    this.unwatch?.();
    this.unwatch = host.watchUserDrawings(img, {
      completed: (d) => void this.postAnchor(d),
      removed: (uid) => this.dropAnchor(uid),
    });
    this.set({ phase: 'analysing', messages: [], anchors: [], focus: null, analysis: null, pending: false });
    host.setHostLanguage(this.state.lang);
    host.setDrawingTarget(img.imageId, img.rows, img.columns, this.state.lang);
    try {
      const analysis = await analyse(this.api, img);
      if (gen !== this.generation) return;
      const session = await this.api.createSession(analysis.id, this.state.lang);
      if (gen !== this.generation) return;
      this.session = session;
      host.applyAnnotations(session.annotations);
      this.set({ phase: 'ready', analysis, anchors: session.anchors });
      for (const d of this.queued.splice(0)) await this.postAnchor(d);
    } catch (e) {
      if (gen !== this.generation) return;
      this.fail(e);
      this.set({ phase: 'failed' });
    }
  }

  retry = (): void => { if (this.image) void this.open(this.image); };

  private async postAnchor(d: host.UserDrawing): Promise<void> {
    const s = this.session;
    if (!s) { this.queued.push(d); return; }
    try {
      const anchor = await this.api.addAnchor(s.id, d.geometry, d.uid);
      if (s !== this.session) return;
      this.anchorOfDrawing.set(d.uid, anchor.id);
      this.set({ anchors: [...this.state.anchors, anchor] });
    } catch (e) {
      this.fail(e);
    }
  }

  private dropAnchor(uid: string): void {
    const s = this.session;
    const anchorId = this.anchorOfDrawing.get(uid);
    if (!s || !anchorId) return;
    this.anchorOfDrawing.delete(uid);
    this.set({ anchors: this.state.anchors.filter((a) => a.id !== anchorId && a.parentId !== anchorId) });
    this.api.deleteAnchor(s.id, anchorId).catch(() => undefined);
  }

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
      host.applyAnnotations(turn.annotations, turn.removedAnnotationIds);
      this.push({ role: 'assistant', text: turn.answer.headline, turn });
      this.set({ focus: null });
      if (turn.createdAnchorIds.length) {
        const fresh = await this.api.getSession(s.id);
        if (gen === this.generation) this.set({ anchors: fresh.anchors });
      }
    } catch (e) {
      if (gen === this.generation) this.fail(e);
    } finally {
      if (gen === this.generation) this.set({ pending: false });
    }
  };

  focusAnchor = (a: Anchor): void => {
    if (this.image) host.centerOn(this.image.imageId, a.center);
    this.set({ focus: { anchorId: a.id } });
  };

  clearFocus = (): void => this.set({ focus: null });

  /** The current session id (commands such as "store SR" need it). */
  sessionId(): string | null { return this.session?.id ?? null; }
  currentImage(): host.ActiveImage | null { return this.image; }
}

/** POST /analyses by DICOMweb reference when the image came from DICOMweb, else with the file's bytes. */
async function analyse(api: CopilotApi, img: host.ActiveImage): Promise<Analysis> {
  if (img.source === 'dicomweb' && host.cxrConfig().dicomweb !== false) {
    try {
      return await api.analyseDicomweb({
        studyInstanceUID: img.studyInstanceUID, seriesInstanceUID: img.seriesInstanceUID,
        sopInstanceUID: img.sopInstanceUID, frame: img.frame,
      });
    } catch (e) {
      // The viewer's DICOMweb source may not be the server's; the file's bytes still work then.
      if (!(e instanceof ApiCallError) || !['dicomweb_unavailable', 'not_found'].includes(e.code)) throw e;
    }
  }
  let bytes: ArrayBuffer;
  try {
    bytes = await host.getImageBytes(img.imageId);
  } catch {
    throw new ApiCallError('no_image_bytes', 'Could not read the image file.', 0);
  }
  return api.analyseBytes(bytes);
}

let singleton: CopilotStore | null = null;
/** One store per page: the panel, the commands and the mode hooks share it. */
export function copilotStore(): CopilotStore {
  singleton ??= new CopilotStore(new CopilotApi(host.cxrConfig().apiBase ?? '/api/v1'));
  return singleton;
}
