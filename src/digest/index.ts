// Public face of src/digest/: what the rest of the program may use.
export { mathText, plainTitle } from './digest-math-text.ts';
export { dueDate } from './digest-schedule.ts';
export {
  type DigestLinkPurpose,
  digestLinkToken,
  digestMessageId,
  digestTokenId,
  digestTokenMatches,
} from './digest-tokens.ts';
