// Public face of src/platform/: what the rest of the program may use.
export { checkEmail, checkName, checkPassword, checkTag, checkTags } from './input-rules.ts';
export { createJobLease, type JobLease, nodeId } from './job-lease.ts';
export { createLogger, type Logger } from './logger.ts';
export { chargeMail } from './mail-limits.ts';
export {
  createFileMailer,
  createLogMailer,
  deliverLater,
  type Mailer,
  trackSends,
  type TrackedMailer,
} from './mailer.ts';
export { createPacer } from './pacer.ts';
export { type PeriodicJob, startPeriodicJob, type TimerHooks } from './periodic-job.ts';
export { createArgon2Hasher, type PasswordHasher } from './password-hasher.ts';
export {
  createRateLimiter,
  RATE_RULES,
  type RateLimiter,
  RateLimitError,
  type RateRule,
  rateShare,
  type RateShare,
} from './rate-limiter.ts';
export { randomToken, sameString, sign, tokenHash } from './secure-random.ts';
export { resolveServerSecret, type ServerSecret } from './server-secret.ts';
export { createSiteOrigin, type SiteOrigin } from './site-origin.ts';
export {
  classifySmtpError,
  createSmtpMailer,
  createSmtpTransport,
  type MailTransport,
} from './smtp-mailer.ts';
export { type RandomBytes } from './secure-random.ts';
export { onWorkerFailure, startTsWorker, tsWorkerSource } from './ts-worker.ts';
export { pagesFromWorker, type WorkerPageMessage, workerPageSender } from './worker-pages.ts';
export {
  createStepMeter,
  formatStep,
  memoryNow,
  peakNow,
  type MemoryNow,
  type StepMeter,
  type StepReport,
} from './step-meter.ts';
export { OpenClock, formatOpenStep, readBytesNow, type OpenStep } from './open-clock.ts';
