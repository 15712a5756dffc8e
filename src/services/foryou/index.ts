// Public face of src/services/foryou/: what the rest of the program may use.
export {
  createForYouService,
  type Follow,
  type FollowKind,
  type ForYouPage,
  type ForYouService,
  type ImportReport,
  type NotInterestedKind,
  type SavedSearch,
} from './foryou-service.ts';
export { topicMembers } from './foryou-feed.ts';
