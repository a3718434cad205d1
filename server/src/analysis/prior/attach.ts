/**
 * Checks for attaching a prior film to a session (api.md 8.4): the server keeps no patient
 * identifiers and does not compare them (the viewer chooses the prior); it checks only that the prior
 * is another image, acquired before the current one, and that both are frontal chest radiographs.
 * Dates are kept as day numbers inside the store and leave only as an interval.
 */
import type { SessionPrior } from '../../contract';
import { ApiError } from '../../errors';
import type { AnalysisEntry } from '../../store/types';
import { isFrontalChest } from './compare';

/** Days from the prior's acquisition to the current one's; null when either date is unknown. */
export function intervalDays(current: AnalysisEntry, prior: AnalysisEntry): number | null {
  const c = current.acquiredDay,
    p = prior.acquiredDay;
  return typeof c === 'number' && typeof p === 'number' ? c - p : null;
}

/** The Session.prior for `prior`, or a 422 ApiError saying why it cannot be the prior. */
export function checkPrior(current: AnalysisEntry, prior: AnalysisEntry): SessionPrior {
  const id = prior.analysis.id;
  if (id === current.analysis.id || prior.analysis.image.pixelDataSha256 === current.analysis.image.pixelDataSha256) {
    throw new ApiError('prior_not_earlier', 'The prior is the same image as the current one.', {
      resource: 'analysis',
      id,
      reason: 'same_image',
    });
  }
  for (const [which, a] of [
    ['prior', prior.analysis],
    ['current', current.analysis],
  ] as const) {
    if (!isFrontalChest(a)) {
      throw new ApiError('prior_not_frontal', `The ${which} image is not a frontal chest radiograph.`, {
        resource: 'analysis',
        id: a.id,
        reason: `${which}_not_frontal`,
      });
    }
  }
  const days = intervalDays(current, prior);
  if (days !== null && days < 0) {
    throw new ApiError('prior_not_earlier', 'The prior was acquired after the current image.', {
      resource: 'analysis',
      id,
      reason: 'acquired_later',
    });
  }
  return { analysisId: id, acquiredAt: days === null ? null : `P${days}D`, intervalDays: days };
}
