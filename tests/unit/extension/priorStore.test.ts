/**
 * The panel store's prior comparison (issue 17, api.md 8.4) with a fake viewer and a fake server:
 * the prior found for a DICOMweb image is offered; choosing it analyses the prior by its DICOMweb
 * reference and attaches that analysis (PUT prior) — the server receives UIDs and an analysis id,
 * never a patient identifier; a resumed session shows its prior; removing it calls DELETE.
 */
import assert from 'node:assert/strict';
import { ApiCallError, type CopilotApi, type DicomwebRef } from '../../../extension/src/api/client';
import type { Session } from '../../../extension/src/api/contract';
import type { ActiveImage } from '../../../extension/src/host/types';
import type { PriorCandidate } from '../../../extension/src/panel/prior';
import { suggestionChips } from '../../../extension/src/panel/suggestions';
import { CopilotStore, type HostPort } from '../../../extension/src/panel/store';

const img = (source: ActiveImage['source'] = 'dicomweb'): ActiveImage => ({
  viewportId: 'vp',
  imageId: 'wadors:current',
  studyInstanceUID: 'S-cur',
  seriesInstanceUID: 'Se-cur',
  sopInstanceUID: 'I-cur',
  frame: 0,
  source,
  rows: 100,
  columns: 100,
  bodyPart: 'CHEST',
});
const CANDIDATE: PriorCandidate = { studyInstanceUid: 'S-prior', date: '20241201' };
const PRIOR_REF: DicomwebRef = {
  studyInstanceUID: 'S-prior',
  seriesInstanceUID: 'Se-p',
  sopInstanceUID: 'I-p',
  frame: 0,
};

function fakeHost(o: { candidate?: PriorCandidate | null; ref?: DicomwebRef | null } = {}) {
  let onImage: (i: ActiveImage) => void = () => undefined;
  const memory = new Map<string, string>();
  const asked: string[] = [];
  const removed: string[] = [];
  const noop = () => undefined;
  const host: HostPort = {
    watchActiveImage: (fn) => {
      onImage = fn;
      return noop;
    },
    watchUserDrawings: () => noop,
    labelUserDrawing: noop,
    setDrawingTarget: noop,
    applyAnnotations: (_added, removedIds = []) => void removed.push(...removedIds),
    clearAll: noop,
    setHostLanguage: noop,
    ohifLanguage: () => 'en',
    watchOhifLanguage: () => noop,
    zoomTo: noop,
    resetView: noop,
    highlightAnchor: noop,
    setAnchorLineage: noop,
    setAnchorVisible: noop,
    getImageBytes: async () => new ArrayBuffer(200),
    dicomwebEnabled: () => true,
    memory: { get: (k) => memory.get(k) ?? null, set: (k, v) => void memory.set(k, v) },
    hasHeatmap: () => false,
    toggleHeatmap: () => false,
    setHeatmapOpacity: noop,
    findPriorStudy: async (i) => {
      asked.push(i.studyInstanceUID);
      return o.candidate === undefined ? CANDIDATE : o.candidate;
    },
    showPriorBeside: async (sop, beside) => {
      asked.push(`beside ${sop} ${beside}`);
      return true;
    },
    priorImageRef: async (c) => {
      asked.push(`ref ${c.studyInstanceUid}`);
      return o.ref === undefined ? PRIOR_REF : o.ref;
    },
  };
  return { host, memory, asked, removed, show: (i: ActiveImage) => onImage(i) };
}

const session = (id: string, prior: Session['prior'] = null): Session => ({
  id,
  analysisId: 'an-cur',
  language: 'en',
  focusAnchorId: null,
  anchors: [],
  turns: [],
  annotations: [],
  prior,
});

/** A compare_prior answer drawing the prior outline (dashed) and a change label. */
const compareTurn = (text: string) => ({
  id: 'T1',
  index: 1,
  text,
  language: 'en',
  understanding: { intent: 'compare_prior' },
  clarification: null,
  answer: { headline: 'grown', sections: [], suggestions: [] },
  annotations: [
    { id: 'ann_prior', kind: 'outline', anchorId: 'A2', replaces: null, measurement: null },
    { id: 'ann_change', kind: 'label', anchorId: 'A2', replaces: null, measurement: null },
  ],
  removedAnnotationIds: [],
  createdAnchorIds: [],
  focusAnchorId: null,
  checklist: null,
  links: [],
});

function fakeApi(existing?: Session) {
  const calls: string[] = [];
  /** What the server keeps after DELETE prior (the change label only, in this fake). */
  let kept: string[] = [];
  const api = {
    analyseDicomweb: async (ref: DicomwebRef) => {
      calls.push(`analyse ${JSON.stringify(ref)}`);
      return { id: `an-${ref.sopInstanceUID}`, findings: [], warnings: [] };
    },
    createSession: async () => session('s1'),
    getSession: async (id: string) => {
      if (id === 's1') return { ...session('s1'), annotations: kept.map((k) => ({ id: k })) };
      if (!existing || existing.id !== id) throw new ApiCallError('not_found', 'gone', 404);
      return existing;
    },
    turn: async (_s: string, req: { text: string }) => {
      kept = ['ann_change'];
      return compareTurn(req.text);
    },
    getAnalysis: async (id: string) => ({ id, findings: [], warnings: [] }),
    putPrior: async (sessionId: string, analysisId: string) => {
      calls.push(`put ${sessionId} ${analysisId}`);
      return session(sessionId, { analysisId, acquiredAt: null, intervalDays: 730 });
    },
    deletePrior: async (sessionId: string) => {
      calls.push(`delete ${sessionId}`);
    },
  } as unknown as CopilotApi;
  return { api, calls };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

test('the prior is offered, analysed by its DICOMweb reference and attached with PUT prior', async () => {
  const h = fakeHost();
  const { api, calls } = fakeApi();
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(img());
  await settle();
  assert.equal(store.get().phase, 'ready');
  assert.deepEqual(store.get().prior.candidate, CANDIDATE);
  assert.equal(store.get().prior.attached, null);
  await store.attachPrior();
  assert.deepEqual(calls.slice(-2), [`analyse ${JSON.stringify(PRIOR_REF)}`, 'put s1 an-I-p']);
  // Only UIDs and an analysis id went to the server.
  assert.doesNotMatch(calls.join(' '), /PatientID|PatientName/);
  assert.deepEqual(store.get().prior.attached, { analysisId: 'an-I-p', intervalDays: 730, date: '20241201' });
  assert.equal(store.get().prior.busy, false);
  // The change question becomes the first suggestion until it is asked.
  const chips = suggestionChips({
    lang: 'en',
    ready: true,
    anchors: [],
    analysis: null,
    turns: [],
    priorAttached: !!store.get().prior.attached,
  });
  assert.equal(chips[0]?.question, 'Has it grown since the prior film?');
  await store.ask('Has it grown since the prior film?');
  await store.detachPrior();
  assert.deepEqual(h.removed, ['ann_prior'], 'the comparison drawing the server no longer lists is removed');
  assert.equal(calls[calls.length - 1], 'delete s1');
  assert.equal(store.get().prior.attached, null);
  assert.deepEqual(store.get().prior.candidate, CANDIDATE, 'the prior is still offered');
});

test('no prior study: nothing is offered and nothing is sent', async () => {
  const h = fakeHost({ candidate: null });
  const { api, calls } = fakeApi();
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(img());
  await settle();
  assert.equal(store.get().prior.candidate, null);
  const before = calls.length;
  await store.attachPrior();
  assert.deepEqual(calls.slice(before), [], 'no prior analysis, no PUT prior');
});

test('a local file is not searched for priors (no DICOMweb study list behind it)', async () => {
  const h = fakeHost();
  const store = new CopilotStore(fakeApi().api, h.host);
  store.start();
  h.show(img('local'));
  await settle();
  assert.deepEqual(h.asked, []);
  assert.equal(store.get().prior.candidate, null);
});

test('a prior study without a frontal image says so and attaches nothing', async () => {
  const h = fakeHost({ ref: null });
  const { api, calls } = fakeApi();
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(img());
  await settle();
  await store.attachPrior();
  assert.ok(!calls.some((c) => c.startsWith('put')), 'no PUT prior');
  const last = store.get().messages[store.get().messages.length - 1];
  assert.equal(last?.role, 'error');
  assert.match(last?.text ?? '', /no frontal chest radiograph/);
  assert.equal(store.get().prior.attached, null);
});

test('a resumed session shows its prior with the date this tab remembered', async () => {
  const h = fakeHost();
  const existing = session('s-old', { analysisId: 'an-p', acquiredAt: null, intervalDays: 365 });
  h.memory.set('cxr-copilot-session:I-cur:0', 's-old');
  h.memory.set('cxr-copilot-prior:s-old', '20251201');
  const store = new CopilotStore(fakeApi(existing).api, h.host);
  store.start();
  h.show(img());
  await settle();
  assert.deepEqual(store.get().prior.attached, { analysisId: 'an-p', intervalDays: 365, date: '20251201' });
});

test('side by side: the prior is shown beside; looking at it keeps the conversation on the current film', async () => {
  const h = fakeHost();
  const { api, calls } = fakeApi();
  const store = new CopilotStore(api, h.host);
  store.start();
  h.show(img());
  await settle();
  await store.attachPrior();
  await store.toggleBeside();
  assert.equal(store.get().prior.beside, true);
  assert.ok(h.asked.includes('beside I-p true'), 'the prior image is shown beside');
  const analysed = calls.filter((c) => c.startsWith('analyse')).length;
  // The prior viewport made active: its image belongs to the prior study, so nothing is reopened.
  h.show({ ...img(), imageId: 'wadors:prior', studyInstanceUID: 'S-prior', sopInstanceUID: 'I-p' });
  await settle();
  assert.equal(calls.filter((c) => c.startsWith('analyse')).length, analysed, 'no new analysis');
  assert.equal(store.currentImage()?.imageId, 'wadors:current');
  await store.toggleBeside();
  assert.equal(store.get().prior.beside, false);
  assert.ok(h.asked.includes('beside I-p false'), 'one viewport again');
});
