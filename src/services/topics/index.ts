// The topics feature's public face: clustering papers into named topics, the map, and their use cases.
export {
  createTopicsService,
  type MapPoints,
  type RisingTopic,
  type TopicDetail,
  type TopicInfo,
  type TopicsDeps,
  type TopicsService,
} from './topics-service.ts';
export type { RecomputeOptions, RecomputeSummary } from './recompute.ts';
export { recomputeTopics } from './recompute.ts';
export { isDue, startTopicsScheduler, type TopicsSchedule } from './topics-scheduler.ts';
export type { TopicArea } from '../../index/topics/topic-areas.ts';
