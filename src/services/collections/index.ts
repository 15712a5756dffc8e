// Collections and profiles (community issue): readers' curated lists of papers and their public pages.
export * from './collections-service.ts';
export * from './profiles-service.ts';
export * from './collection-rules.ts';
export * from './handle-rules.ts';
export { checkHandle, handleTaken } from './handle-rules.ts';
