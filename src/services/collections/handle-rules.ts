// The rules for readers' handles: the public name in /u/<handle>, unique ignoring case, safe in any URL.
import { AppError } from '../../errors.ts';

/**
 * 2 to 30 ASCII letters, digits, "_" or "-", starting with a letter or digit: nothing to escape in a URL
 * path, no look-alike Unicode, and case-insensitive uniqueness is plain lower-casing.
 */
export const HANDLE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,29}$/;

/** Names a reader cannot take: site paths and words that would read as the site speaking. */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  'about',
  'abuse',
  'account',
  'admin',
  'administrator',
  'anonymous',
  'api',
  'collections',
  'deleted',
  'digest',
  'feeds',
  'foryou',
  'help',
  'library',
  'login',
  'logout',
  'me',
  'mod',
  'moderator',
  'new',
  'notifications',
  'null',
  'official',
  'paperboy',
  'papers',
  'postmaster',
  'root',
  'search',
  'security',
  'settings',
  'signin',
  'signout',
  'signup',
  'staff',
  'static',
  'submit',
  'support',
  'system',
  'u',
  'undefined',
  'user',
  'users',
  'webmaster',
  'www',
]);

export const HANDLE_RULE =
  'A handle is 2 to 30 letters (a-z), digits, "_" or "-", starting with a letter or digit, such as ada_l.';

/**
 * The handle as typed (trimmed, a leading @ dropped) when it obeys the pattern and is not reserved, else BAD_INPUT.
 * @example checkHandle(' @Ada_L ') // 'Ada_L'
 */
export function checkHandle(raw: string): string {
  const h = raw.trim().replace(/^@/, '');
  if (!HANDLE_PATTERN.test(h)) throw new AppError('BAD_INPUT', HANDLE_RULE);
  if (RESERVED_HANDLES.has(h.toLowerCase()))
    throw new AppError('BAD_INPUT', `"${h}" is reserved; choose another handle.`);
  return h;
}

/** CONFLICT for a handle another reader has. */
export function handleTaken(handle: string): AppError {
  return new AppError('CONFLICT', `The handle "${handle}" is taken; choose another.`);
}
