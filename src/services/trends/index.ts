// The trends feature's public face: papers per week or month for searches and topics.
export {
  createTrendsService,
  MAX_SERIES,
  type TrendSeries,
  type TrendsDeps,
  type TrendsService,
} from './trends-service.ts';
