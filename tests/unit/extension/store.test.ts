/**
 * The panel's store with the viewer (host) and the server (API) injected: answers stay in order, an
 * answer for an image no longer shown is dropped, drawings made before the session are posted after
 * it, the language follows OHIF, and Retry is offered only for transient errors.
 */
import assert from 'node:assert/strict';
import { ApiCallError, type CopilotApi } from '../../../extension/src/api/client';
import type { Anchor, Annotation, Lang, Session, Turn } from '../../../extension/src/api/contract';
import type { ActiveImage, UserDrawingEvents } from '../../../extension/src/host/types';
import { CopilotStore, isTransient, type HostPort } from '../../../extension/src/panel/store';

const image = (id: string): ActiveImage => ({
  viewportId: 'vp',
  imageId: id,
  studyInstanceUID: '1',
  seriesInstanceUID: '2',
  sopInstanceUID: id,
  frame: 0,
  source: 'dicomweb',
  rows: 100,
  columns: 100,
  bodyPart: 'CHEST',
});

/** A promise resolved from outside, to control when the fake server answers. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fakeHost() {
  const calls: string[] = [];
  let onImage: (img: ActiveImage) => void = () => undefined;
  let onLang: (l: Lang) => void = () => undefined;
  let drawings: UserDrawingEvents | null = null;
  const memory = new Map<string, string>();
  const host: HostPort = {
    watchActiveImage: (fn) => {
      onImage = fn;
      return () => undefined;
    },
    watchUserDrawings: (_img, on) => {
      drawings = on;
      return () => undefined;
    },
    labelUserDrawing: (uid, label) => calls.push(`label ${uid} ${label}`),
    setDrawingTarget: (id) => calls.push(`target ${id}`),
    applyAnnotations: (added: Annotation[]) => calls.push(`apply ${added.map((a) => a.id).join(',')}`),
    clearAll: () => calls.push('clear'),
    setHostLanguage: (l) => calls.push(`lang ${l}`),
    ohifLanguage: () => 'zh',
    watchOhifLanguage: (fn) => {
      onLang = fn;
      return () => undefined;
    },
    zoomTo: (id, box) => calls.push(`zoom ${id} ${box.join(',')}`),
    resetView: () => calls.push('fit'),
    highlightAnchor: (id) => calls.push(`highlight ${id}`),
    setAnchorLineage: () => undefined,
    setAnchorVisible: (id, v) => calls.push(`visible ${id} ${v}`),
    getImageBytes: async () => new ArrayBuffer(200),
    dicomwebEnabled: () => true,
    memory: {
      get: (k) => memory.get(k) ?? null,
      set: (k, v) => {
        memory.set(k, v);
      },
    },
    hasHeatmap: () => false,
    toggleHeatmap: () => false,
    setHeatmapOpacity: () => undefined,
  };
  return {
    host,
    calls,
    memory,
    show: (img: ActiveImage) => onImage(img),
    ohifSwitch: (l: Lang) => onLang(l),
    drawing: () => drawings,
  };
}

const anchor = (id: string, kind: Anchor['kind'] = 'finding'): Anchor => ({
  id,
  kind,
  parentId: null,
  label: { zh: `${id} 右肺结节`, en: `${id} right lung nodule` },
  findingId: 'F1',
  clientRef: null,
  geometry: {
    type: 'polygon',
    points: [
      [10, 10],
      [30, 10],
      [30, 20],
    ],
  },
  center: [20, 15],
  measurements: [],
});
const session = (id: string): Session => ({
  id,
  analysisId: 'an',
  language: 'zh',
  focusAnchorId: null,
  anchors: [anchor('A1')],
  turns: [],
  annotations: [],
});
const turnFor = (text: string): Turn => ({
  id: `t-${text}`,
  index: 0,
  text,
  language: 'zh',
  understanding: { intent: 'overview' },
  clarification: null,
  answer: { headline: `answer to ${text}`, sections: [], suggestions: [] },
  annotations: [],
  removedAnnotationIds: [],
  createdAnchorIds: [],
  focusAnchorId: null,
  checklist: null,
  links: [],
});

function fakeApi(over: Partial<Record<keyof CopilotApi, unknown>> = {}) {
  const posted: string[] = [];
  const api = {
    analyseDicomweb: async (ref: { sopInstanceUID: string }) => ({
      id: `an-${ref.sopInstanceUID}`,
      findings: [],
      warnings: [],
    }),
    analyseBytes: async () => ({ id: 'an-bytes', findings: [], warnings: [] }),
    createSession: async (analysisId: string) => session(`s-${analysisId}`),
    getSession: async (id: string) => session(id),
    addAnchor: async (_s: string, _g: unknown, clientRef: string) => {
      posted.push(clientRef);
      return anchor(`U-${clientRef}`, 'user');
    },
    deleteAnchor: async () => undefined,
    turn: async (_s: string, req: { text: string }) => turnFor(req.text),
    ...over,
  } as unknown as CopilotApi;
  return { api, posted };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test("an image shown opens an analysis and a session; the language is OHIF's", async () => {
  const h = fakeHost();
  const store = new CopilotStore(fakeApi().api, h.host);
  assert.equal(store.get().lang, 'zh');
  store.start();
  h.show(image('img1'));
  assert.equal(store.get().phase, 'analysing');
  await settle();
  assert.equal(store.get().phase, 'ready');
  assert.deepEqual(
    store.get().anchors.map((a) => a.id),
    ['A1'],
  );
  assert.ok(h.calls.includes('target img1'));
  h.ohifSwitch('en');
  assert.equal(store.get().lang, 'en', "OHIF's languageChanged reaches the panel");
  assert.ok(h.calls.includes('lang en'), 'labels are redrawn in the new language');
});

test('answers stay in order: a second question while one is pending is ignored', async () => {
  const h = fakeHost();
  const first = deferred<Turn>();
  const texts: string[] = [];
  const { api } = fakeApi({
    turn: async (_s: string, req: { text: string }) => {
      texts.push(req.text);
      return first.promise;
    },
  });
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(image('img1'));
  await settle();
  const a = store.ask('Q1');
  void store.ask('Q2');
  assert.deepEqual(texts, ['Q1'], 'the second question is not sent while the first is pending');
  first.resolve(turnFor('Q1'));
  await a;
  assert.deepEqual(
    store.get().messages.map((m) => `${m.role}:${m.text}`),
    ['user:Q1', 'assistant:answer to Q1'],
  );
  assert.equal(store.get().pending, false);
});

test('an answer that arrives after the image changed is dropped', async () => {
  const h = fakeHost();
  const late = deferred<Turn>();
  const { api } = fakeApi({ turn: async () => late.promise });
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(image('img1'));
  await settle();
  const pending = store.ask('Q1');
  h.show(image('img2'));
  await settle();
  late.resolve(turnFor('Q1'));
  await pending;
  assert.equal(store.get().messages.length, 0, 'no message of the old image survives');
  assert.ok(!h.calls.some((c) => c.startsWith('apply ') && c !== 'apply '), 'its annotations are not drawn');
  assert.equal(store.currentImage()?.imageId, 'img2');
});

test('drawings completed before the session exists are posted once it does', async () => {
  const h = fakeHost();
  const analysis = deferred<unknown>();
  const fake = fakeApi({ analyseDicomweb: async () => analysis.promise });
  const store = new CopilotStore(fake.api, h.host);
  store.start();
  h.show(image('img1'));
  h.drawing()!.completed({ uid: 'u1', imageId: 'img1', geometry: { type: 'point', point: [1, 2] } });
  assert.deepEqual(fake.posted, [], 'nothing is posted before the session');
  analysis.resolve({ id: 'an1', findings: [], warnings: [] });
  await settle();
  await settle();
  assert.deepEqual(fake.posted, ['u1']);
  assert.ok(store.get().anchors.some((a) => a.id === 'U-u1'));
  assert.ok(h.calls.includes('label u1 U-u1'), 'the drawing is named after its anchor');
});

test('Retry is offered for 5xx and network errors, never for 4xx', async () => {
  assert.equal(isTransient(new ApiCallError('busy', 'x', 503)), true);
  assert.equal(isTransient(new ApiCallError('network_error', 'x', 0)), true);
  assert.equal(isTransient(new ApiCallError('truncated_pixel_data', 'x', 422)), false);
  assert.equal(isTransient(new ApiCallError('no_image_bytes', 'x', 0)), false);
  const h = fakeHost();
  const { api } = fakeApi({
    analyseDicomweb: async () => {
      throw new ApiCallError('truncated_pixel_data', 'cut', 422);
    },
  });
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(image('img1'));
  await settle();
  assert.equal(store.get().phase, 'failed');
  assert.equal(store.get().retryable, false);
  assert.equal(store.get().messages[0].role, 'error');
});

test('focusing a finding zooms onto its box and highlights it; back to fit undoes both', async () => {
  const h = fakeHost();
  const store = new CopilotStore(fakeApi().api, h.host);
  store.start();
  h.show(image('img1'));
  await settle();
  store.focusAnchor(store.get().anchors[0]);
  assert.ok(h.calls.includes('zoom img1 10,10,30,20'));
  assert.ok(h.calls.includes('highlight A1'));
  assert.equal(store.get().zoomed, true);
  store.clearFocus();
  assert.ok(h.calls.includes('fit') && h.calls.includes('highlight null'));
  store.toggleAnchor('A1');
  assert.deepEqual(store.get().hidden, ['A1']);
  assert.ok(h.calls.includes('visible A1 false'));
});

test('after OHIF reloads the page, the same image reconnects to its session and shows its turns', async () => {
  const h = fakeHost();
  const first = new CopilotStore(fakeApi().api, h.host);
  first.start();
  h.show(image('img1'));
  await settle();
  await first.ask('Q1');
  const id = first.sessionId() as string;
  // A new page: new store, same tab memory; the server still has the session with its turn.
  let analysed = 0;
  const { api } = fakeApi({
    analyseDicomweb: async () => {
      analysed++;
      return { id: 'an-new', findings: [], warnings: [] };
    },
    getSession: async (sid: string) => ({ ...session(sid), turns: [turnFor('Q1')] }),
    getAnalysis: async (aid: string) => ({ id: aid, findings: [], warnings: [] }),
  });
  const second = new CopilotStore(api, { ...h.host });
  second.start();
  h.show(image('img1'));
  await settle();
  await settle();
  assert.equal(analysed, 0, 'no second analysis');
  assert.equal(second.sessionId(), id);
  assert.deepEqual(
    second.get().messages.map((m) => `${m.role}:${m.text}`),
    ['user:Q1', 'assistant:answer to Q1'],
  );
});
