// Sign-in throttling that keeps password guessing out without letting a stranger lock an account's owner out.
import {
  randomToken,
  type RateLimiter,
  RateLimitError,
  type RateRule,
  sameString,
  sign,
} from '../../platform/index.ts';

/**
 * The rule (docs/SECURITY.md, "Sign-in throttling and lockout"). A browser that has signed in to an address
 * before carries a signed "known browser" proof for that address; its wrong passwords count for it alone, so
 * no one else can use up its attempts. Every other attempt counts against its client address, and its wrong
 * passwords for the address share one bucket with every other unknown browser: that bucket is what keeps a
 * botnet's guesses at an address down to `perAddressUnknown`, and filling it shuts out only browsers the owner
 * never signed in with (who can still sign in with a password-reset link, which also marks the browser known).
 */
export const SIGN_IN_RULES = {
  /** Attempts from one client address that is not a known browser of the address tried. */
  perClient: { limit: 30, windowMs: 15 * 60_000 },
  /** Wrong passwords for one address from all browsers it was never used in, together. */
  perAddressUnknown: { limit: 10, windowMs: 15 * 60_000 },
  /** Wrong passwords for one address from one known browser. */
  perKnownBrowser: { limit: 10, windowMs: 15 * 60_000 },
} as const satisfies Record<string, RateRule>;

/** Who is trying: the client address and, when the browser sent one, its known-browser proof. */
export interface SignInClient {
  address: string;
  knownBrowser?: string;
}

export interface SignInThrottle {
  /**
   * Counts an attempt for `email` before its password is checked; throws RateLimitError when refused. Returns
   * the bucket the attempt counted in, to clear with `succeeded`.
   */
  attempt(email: string, client: SignInClient): string;
  /** A correct password: the attempt's failures no longer count. */
  succeeded(bucket: string): void;
  /** The proof that marks the browser as known for `email` (kept by the surface, e.g. in a cookie). */
  proofFor(email: string): string;
}

const UNKNOWN_HINT =
  ' Sign in from a browser you have used here before, or reset your password: the mailed link signs you in.';

/**
 * @example const t = createSignInThrottle(limiter, () => secret); const bucket = t.attempt(email, client);
 */
export function createSignInThrottle(limiter: RateLimiter, secret: () => string): SignInThrottle {
  /** The proof's random part when it is a valid proof for `email`, else null. */
  function knownNonce(email: string, proof: string | undefined): string | null {
    const m = /^([\w-]{16,40})\.([\w-]{43})$/.exec(proof ?? '');
    if (!m?.[1] || !m[2]) return null;
    return sameString(sign(secret(), `signin-browser:${email}:${m[1]}`), m[2]) ? m[1] : null;
  }

  return {
    attempt(email, client) {
      const nonce = knownNonce(email, client.knownBrowser);
      if (nonce !== null) {
        const bucket = `signin-known:${email}:${nonce}`;
        limiter.hit(bucket, SIGN_IN_RULES.perKnownBrowser, 'sign-in');
        return bucket;
      }
      limiter.hit(`signin-client:${client.address}`, SIGN_IN_RULES.perClient, 'sign-in');
      const bucket = `signin-unknown:${email}`;
      try {
        limiter.hit(bucket, SIGN_IN_RULES.perAddressUnknown, 'sign-in');
      } catch (err) {
        if (err instanceof RateLimitError)
          throw new RateLimitError(`${err.message}${UNKNOWN_HINT}`, err.retryAfterSeconds);
        throw err;
      }
      return bucket;
    },
    succeeded(bucket) {
      limiter.reset(bucket);
    },
    proofFor(email) {
      const nonce = randomToken(18);
      return `${nonce}.${sign(secret(), `signin-browser:${email}:${nonce}`)}`;
    },
  };
}
