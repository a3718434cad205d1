import { Enums, eventTarget } from '@cornerstonejs/core';
import { services } from './context';
import { watchMeasurementSelection } from './annotations';
import { attachHover, detachHover } from './hover';
import { getActiveImage } from './image';
import type { ActiveImage } from './types';

/**
 * Follows the image in the active viewport through OHIF's own events: the viewport-grid service
 * (another viewport made active), the Cornerstone viewport service (new data in a viewport) and
 * Cornerstone's IMAGE_LOADED. The image id is set a moment after those events, so each event
 * re-checks a few times; `fn` runs only when the image id changes. Returns the unsubscribe.
 */
export function watchActiveImage(fn: (img: ActiveImage) => void): () => void {
  const { viewportGridService, cornerstoneViewportService } = services();
  let last: string | null = null;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const check = () => {
    attachHover();
    const img = getActiveImage();
    if (img && img.imageId !== last) {
      last = img.imageId;
      fn(img);
    }
  };
  const soon = () => {
    for (const ms of [0, 200, 800, 2000]) {
      const t = setTimeout(() => {
        timers.delete(t);
        check();
      }, ms);
      timers.add(t);
    }
  };
  const subs = [
    viewportGridService.subscribe(viewportGridService.EVENTS.ACTIVE_VIEWPORT_ID_CHANGED, soon),
    cornerstoneViewportService.subscribe(cornerstoneViewportService.EVENTS.VIEWPORT_DATA_CHANGED, soon),
  ];
  eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, soon);
  // While an image is followed, a measurement row selected in OHIF's panel highlights its drawing.
  const unwatchSelection = watchMeasurementSelection();
  soon();
  return () => {
    unwatchSelection();
    subs.forEach((s: { unsubscribe(): void }) => s.unsubscribe());
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOADED, soon);
    timers.forEach(clearTimeout);
    detachHover();
  };
}
