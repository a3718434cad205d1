export type { Anchor, Landmark, LandmarkId } from '../../contract';
export type Side = 'right' | 'left';
