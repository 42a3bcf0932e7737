/** Geometries: interval, rectangle, box, disk, polygon, CSG, space-time. */
export * from './geometry';
export * from './box';
export * from './disk';
export * from './polygon';
export * from './csg';
export * from './space-time';
