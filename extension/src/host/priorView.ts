/**
 * The prior beside the current film, with OHIF's own layout support: the `setViewportGridLayout`
 * command (1×2, the current film keeps its place on the left) and the viewport-grid service puts the
 * prior's display set in the new viewport. The current film's viewport stays active, so the
 * conversation and our drawings stay on it; back to 1×1 drops the prior's viewport.
 */
import { commandsManager, services } from './context';

interface GridViewport {
  viewportId: string;
  displaySetInstanceUIDs?: string[];
}

function gridViewports(): GridViewport[] {
  const vs = services().viewportGridService.getState?.().viewports as Map<string, GridViewport> | undefined;
  return vs ? [...vs.values()] : [];
}

async function until(ok: () => boolean, ms = 3000): Promise<boolean> {
  for (let t = 0; t < ms && !ok(); t += 100) await new Promise((r) => setTimeout(r, 100));
  return ok();
}

/** The display set of the prior's frontal image (loaded by priorImageRef). */
function priorDisplaySet(sopInstanceUID: string): string | null {
  const sets = (services().displaySetService.getActiveDisplaySets?.() ?? []) as {
    displaySetInstanceUID: string;
    instances?: { SOPInstanceUID?: string }[];
  }[];
  return sets.find((d) => d.instances?.some((i) => i.SOPInstanceUID === sopInstanceUID))?.displaySetInstanceUID ?? null;
}

/**
 * Shows the prior image (by SOP Instance UID) beside the current one, or goes back to one viewport.
 * Resolves whether the layout asked for is shown.
 */
export async function showPriorBeside(sopInstanceUID: string, beside: boolean): Promise<boolean> {
  const grid = services().viewportGridService;
  const current = grid.getActiveViewportId();
  if (!current) return false;
  if (!beside) {
    commandsManager().runCommand('setViewportGridLayout', { numRows: 1, numCols: 1 });
    const single = await until(() => gridViewports().length === 1);
    // The viewport kept is the first one (the current film); the prior's may have been the active one.
    const kept = gridViewports()[0]?.viewportId;
    if (single && kept && grid.getActiveViewportId() !== kept) grid.setActiveViewportId?.(kept);
    return single;
  }
  const displaySet = priorDisplaySet(sopInstanceUID);
  if (!displaySet) return false;
  commandsManager().runCommand('setViewportGridLayout', { numRows: 1, numCols: 2 });
  if (!(await until(() => gridViewports().length === 2))) return false;
  const other = gridViewports().find((v) => v.viewportId !== current);
  if (!other) return false;
  await grid.setDisplaySetsForViewports?.([{ viewportId: other.viewportId, displaySetInstanceUIDs: [displaySet] }]);
  // The layout change may move the focus; the conversation belongs to the current film.
  grid.setActiveViewportId?.(current);
  return true;
}
