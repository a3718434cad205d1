import { metaData, type Types as CoreTypes } from '@cornerstonejs/core';

type Point3 = CoreTypes.Point3;
import { annotation as csAnnotation, utilities as csUtilities } from '@cornerstonejs/tools';
import type { Annotation, Lang, Point } from '../api/contract';
import type { CxrDrawData } from '../tools/drawData';
import { CXR_TOOL_NAMES } from '../tools/names';
import { formatMeasurement } from './format';
import { centroid, geometryPaths } from './geometry';
import { cxrConfig, services } from './context';
import { loadHeatmap, operatingPoint } from './heatmap';
import { activeViewport, imageToWorld, viewportShowing } from './image';

/**
 * Draws the server's annotations (api.md 11) on one image with our tools. One server annotation may
 * become several Cornerstone annotations (one per marker), so we keep serverId → Cornerstone UIDs.
 */
interface Drawn {
  ann: Annotation;
  uids: string[];
}
const drawn = new Map<string, Drawn>();
interface DrawTarget {
  imageId: string;
  rows: number;
  columns: number;
  lang: Lang;
  nonce: string;
}
let target: DrawTarget | null = null;

/** Which image and language the next annotations belong to; clears what was drawn before. */
export function setDrawingTarget(imageId: string, rows: number, columns: number, lang: Lang): void {
  clearAll();
  target = { imageId, rows, columns, lang, nonce: Math.random().toString(36).slice(2, 8) };
}

/** Redraws everything in the new language (measurement labels are bilingual). */
export function setDrawingLanguage(lang: Lang): void {
  if (!target || target.lang === lang) return;
  target.lang = lang;
  const all = [...drawn.values()].map((d) => d.ann);
  const named = namesByAnchor(all);
  for (const a of all) {
    remove(a.id);
    add(a, named.get(a.anchorId ?? '') ?? '');
  }
  render();
}

/** Semantics of api.md 11: drop `replaces` and `removedAnnotationIds`, then add or update in place. */
export function applyAnnotations(added: Annotation[], removedIds: string[] = []): void {
  for (const id of [...removedIds, ...added.map((a) => a.replaces).filter((r): r is string => !!r)]) remove(id);
  const named = namesByAnchor(added);
  for (const a of added) {
    remove(a.id);
    for (const old of staleLabels(a)) remove(old);
    add(a, named.get(a.anchorId ?? '') ?? '');
  }
  applyHidden();
  render();
}

/** A marker whose name its anchor's label already says ("右肺门" beside "A1 右肺门") draws no text of its own. */
function namesByAnchor(list: Annotation[]): Map<string, string> {
  return new Map(list.flatMap((a) => (a.kind === 'label' && a.anchorId ? [[a.anchorId, a.text] as const] : [])));
}

/** A finding's name label ("A1 …") is one per anchor: a newer one (a refined size) replaces the old. */
function staleLabels(a: Annotation): string[] {
  if (a.kind !== 'label' || !a.anchorId || !a.text.startsWith(`${a.anchorId} `)) return [];
  return [...drawn.values()]
    .filter((d) => d.ann.kind === 'label' && d.ann.anchorId === a.anchorId && d.ann.text.startsWith(`${a.anchorId} `))
    .map((d) => d.ann.id);
}

/** Removes every annotation we drew (new image, new session, mode exit). */
export function clearAll(): void {
  for (const id of [...drawn.keys()]) remove(id);
  hiddenAnchors.clear();
  render();
}

/** Shows or hides every heatmap; returns the new state. */
export function toggleHeatmap(force?: boolean): boolean {
  let state = false;
  for (const d of drawn.values()) {
    if (d.ann.kind !== 'heatmap') continue;
    state = force ?? !d.ann.style.visible;
    d.ann.style.visible = state;
    for (const uid of d.uids) {
      const a = csAnnotation.state.getAnnotation(uid);
      if (a) a.isVisible = state;
    }
  }
  render();
  return state;
}

export function hasHeatmap(): boolean {
  return [...drawn.values()].some((d) => d.ann.kind === 'heatmap');
}

/** The heatmap layer's opacity (0..1), kept for heatmaps drawn later. */
let heatmapOpacity: number | null = null;
export function setHeatmapOpacity(opacity: number): void {
  heatmapOpacity = opacity;
  for (const d of drawn.values()) if (d.ann.kind === 'heatmap') d.ann.style.opacity = opacity;
  render();
}

/** Each anchor's lineage root (a refinement → its finding), so its drawings count as the finding's. */
const rootOf = new Map<string, string>();
export function setAnchorLineage(anchors: { id: string; parentId: string | null }[]): void {
  const parent = new Map(anchors.map((a) => [a.id, a.parentId]));
  rootOf.clear();
  for (const a of anchors) {
    let id = a.id;
    for (let i = 0; i < 8 && parent.get(id); i++) id = parent.get(id) as string;
    rootOf.set(a.id, id);
  }
}
const root = (anchorId: string | null): string | null => (anchorId ? (rootOf.get(anchorId) ?? anchorId) : null);

/** Anchors the user hid with the findings list's eye toggle. */
const hiddenAnchors = new Set<string>();
export function setAnchorVisible(anchorId: string, visible: boolean): void {
  if (visible) hiddenAnchors.delete(anchorId);
  else hiddenAnchors.add(anchorId);
  applyHidden();
  render();
}
function applyHidden(): void {
  for (const d of drawn.values()) {
    if (!d.ann.anchorId) continue;
    const visible = d.ann.style.visible && !hiddenAnchors.has(root(d.ann.anchorId) as string);
    for (const uid of d.uids) {
      const a = csAnnotation.state.getAnnotation(uid);
      if (a) a.isVisible = visible;
    }
  }
}

/**
 * A row selected in OHIF's measurements panel (its JUMP_TO_MEASUREMENT event) highlights the drawing
 * of ours it lists, with the rest of that finding. Returns the unsubscribe.
 */
export function watchMeasurementSelection(): () => void {
  const { measurementService } = services();
  const sub = measurementService.subscribe(
    measurementService.EVENTS.JUMP_TO_MEASUREMENT,
    (evt: { measurement?: { uid?: string } }) => {
      const uid = evt.measurement?.uid;
      const d = uid ? [...drawn.values()].find((x) => x.uids.includes(uid)) : undefined;
      if (!d) return;
      if (d.ann.anchorId) {
        highlightAnchor(root(d.ann.anchorId));
        return;
      }
      // A drawing of no anchor (the CTR widths) is highlighted alone.
      highlightAnchor(null);
      for (const u of d.uids) {
        const a = csAnnotation.state.getAnnotation(u);
        if (a) a.highlighted = true;
      }
      render();
    },
  );
  return () => sub.unsubscribe();
}

/** Cornerstone's `highlighted` state on every drawing of one anchor (null: none). */
export function highlightAnchor(anchorId: string | null): void {
  for (const d of drawn.values()) {
    for (const uid of d.uids) {
      const a = csAnnotation.state.getAnnotation(uid);
      if (a) a.highlighted = !!anchorId && root(d.ann.anchorId) === anchorId;
    }
  }
  render();
}

function remove(serverId: string): void {
  const d = drawn.get(serverId);
  if (!d) return;
  for (const uid of d.uids) if (csAnnotation.state.getAnnotation(uid)) csAnnotation.state.removeAnnotation(uid);
  drawn.delete(serverId);
}

/** The viewport showing the image we draw on (with the prior beside it, not necessarily the active one). */
const drawingViewport = () => (target ? viewportShowing(target.imageId) : null) ?? activeViewport();

function render(): void {
  const a = drawingViewport();
  if (a) csUtilities.triggerAnnotationRenderForViewportIds([a.id]);
}

/** The label text of an annotation, with its measurement when the label alone would not say it. */
function labelLines(a: Annotation, lang: Lang): string[] {
  if (a.kind === 'label') return a.text.split('\n');
  if (a.kind === 'link') return a.label ? [a.label] : a.measurement ? [formatMeasurement(a.measurement, lang)] : [];
  return [];
}

/** The outline of an anchor's lesion as drawn now (world points), for placing its label beside it. */
function subjectExtent(anchorId: string | null): Point3[] {
  if (!anchorId) return [];
  let found: Point3[] = [];
  for (const d of drawn.values()) {
    if (root(d.ann.anchorId) !== root(anchorId) || (d.ann.kind !== 'region' && d.ann.kind !== 'outline')) continue;
    const cs = csAnnotation.state.getAnnotation(d.uids[0]);
    const data = cs?.data?.cxr as CxrDrawData | undefined;
    if (data) found = data.paths.flatMap((p) => p.points);
  }
  return found;
}

type Part = { tool: string; data: CxrDrawData };

function add(a: Annotation, namedBy = ''): void {
  const view = drawingViewport();
  if (!target || !view) return;
  const parts = drawParts(a, target, namedBy);
  const cam = view.vp.getCamera();
  const imageId = target.imageId;
  const frameOfReferenceUID =
    view.vp.getFrameOfReferenceUID?.() ?? metaData.get('imagePlaneModule', imageId)?.frameOfReferenceUID;
  const uids: string[] = [];
  for (const { tool, data } of parts) {
    const uid = `cxr-${target.nonce}-${a.id}-${data.part}`;
    const csAnn = {
      annotationUID: uid,
      highlighted: false,
      invalidated: false,
      isLocked: true,
      isVisible: a.style.visible,
      metadata: {
        toolName: tool,
        referencedImageId: imageId,
        FrameOfReferenceUID: frameOfReferenceUID,
        viewPlaneNormal: cam.viewPlaneNormal,
        viewUp: cam.viewUp,
      },
      data: {
        // Rows name the finding (A1), not its refinement (A11), with what was measured in words.
        label: data.measurement ? (a.anchorId ? `${root(a.anchorId)} ` : '') + data.measurement.label[target.lang] : '',
        handles: { points: data.paths.flatMap((p) => p.points).slice(0, 512), textBox: {} },
        cachedStats: {},
        cxr: data,
      },
    };
    csAnnotation.state.addAnnotation(csAnn, view.vp.element);
    // Completion is what makes OHIF's MeasurementService list it (ohif-integration.md pitfall 6).
    csAnnotation.state.triggerAnnotationCompleted(csAnn);
    uids.push(uid);
  }
  drawn.set(a.id, { ann: a, uids });
}

/** The Cornerstone parts one server annotation is drawn as (one per marker for `points`). */
function drawParts(a: Annotation, t: DrawTarget, namedBy: string): Part[] {
  const w = (p: Point): Point3 => imageToWorld(t.imageId, p);
  const base = (
    part: number,
    paths: { points: Point[]; closed: boolean }[],
    anchor: Point,
    text: string[],
    measurement = a.measurement,
  ): CxrDrawData => ({
    ann: a,
    part,
    text,
    measurement,
    paths: paths.map((p) => ({ closed: p.closed, points: p.points.map(w) })),
    anchor: w(anchor),
    extent: [],
  });
  switch (a.kind) {
    case 'region': {
      const polys = a.polygons.map((p) => ({ points: p, closed: true }));
      return [{ tool: CXR_TOOL_NAMES.region, data: base(0, polys, centroid(a.polygons.flat()), []) }];
    }
    case 'outline': {
      const paths = geometryPaths(a.geometry);
      return [{ tool: CXR_TOOL_NAMES.outline, data: base(0, paths, centroid(paths.flatMap((p) => p.points)), []) }];
    }
    case 'link': {
      const mid: Point = [(a.points[0][0] + a.points[1][0]) / 2, (a.points[0][1] + a.points[1][1]) / 2];
      const line = [{ points: a.points, closed: false }];
      return [{ tool: CXR_TOOL_NAMES.link, data: base(0, line, mid, labelLines(a, t.lang)) }];
    }
    case 'points':
      // A zero-valued sub-measurement (a 0 mm notch) says nothing: not drawn, not listed.
      return a.markers.flatMap((m, i) =>
        m.measurement && m.measurement.value === 0
          ? []
          : [
              {
                tool: CXR_TOOL_NAMES.points,
                data: base(
                  i,
                  [{ points: [m.point], closed: false }],
                  m.point,
                  m.label && !namedBy.includes(m.label) ? [m.label] : [],
                  m.measurement,
                ),
              },
            ],
      );
    case 'label': {
      const data = { ...base(0, [], a.point, labelLines(a, t.lang)), extent: subjectExtent(a.anchorId) };
      return [{ tool: CXR_TOOL_NAMES.label, data }];
    }
    case 'heatmap':
      return [heatmapPart(a, t, base(0, [], [t.columns / 2, t.rows / 2], []), w)];
  }
  return [];
}

/** The heatmap covers the image; its PNG arrives later and is drawn once it is coloured. */
function heatmapPart(
  a: Extract<Annotation, { kind: 'heatmap' }>,
  t: DrawTarget,
  base: CxrDrawData,
  w: (p: Point) => Point3,
): Part {
  const { rows, columns } = t;
  const data: CxrDrawData = {
    ...base,
    corners: [w([0, 0]), w([columns, 0]), w([0, rows])],
    imageSize: [columns, rows],
  };
  if (heatmapOpacity !== null) a.style.opacity = heatmapOpacity;
  operatingPoint(cxrConfig().apiBase ?? '/api/v1')
    .then((threshold) => loadHeatmap(a.url, threshold))
    .then((href) => {
      data.href = href;
      render();
    })
    .catch((e) => console.warn('[cxr-copilot] heatmap', e));
  return { tool: CXR_TOOL_NAMES.heatmap, data };
}
