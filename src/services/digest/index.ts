// Public face of src/services/digest/: what the rest of the program may use.
export { type QueueSummary } from './digest-delivery.ts';
export { createPersonalSections } from './digest-personal.ts';
export { checkDigestEmail, type SettingsInput, type Subscription } from './digest-service.ts';
export { createDigestServices, type DigestServiceDeps, type DigestServices } from './digest-services.ts';
