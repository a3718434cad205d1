/** Focused re-analysis of a region (api.md 10.6) and the soft-tissue bridge of a relation (api.md 12.2). */
export {
  refineRegion,
  refineRegionDetailed,
  sizeMeasurements,
  type RefineInput,
  type RefinementResult,
  type RefineDetail,
} from './refine';
export { relationBridge, type RelationBridgeInput, type RelationBridgeResult } from './bridge';
export { leadMarginClass } from './signs';
export { SIGN_IDS } from './evidence';
export { REFINE } from './thresholds';
export { warmUpRefinement } from './warmup';
