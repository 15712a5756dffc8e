// The GitHub repository a code link points to, as the key of its stored facts.

/**
 * "owner/name" in lower case for a canonical github.com repository link, else null.
 * @example githubRepoOf('https://github.com/Org/Repo') // 'org/repo'
 */
export function githubRepoOf(url: string): string | null {
  const m = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)$/i.exec(url);
  return m === null ? null : `${m[1]}/${m[2]}`.toLowerCase();
}
