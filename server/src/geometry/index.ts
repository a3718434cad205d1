/** Pure geometry: polygons, contours, clock positions, units. */
export * from './polygon';
export * from './contour';
export * from './clock';
export * from './units';
