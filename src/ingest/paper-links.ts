// Finds the links in a paper's abstract, comment and journal reference, classified (code, data, model, ...) and normalized.
import { href } from '../domain/links.ts';

/** What a link leads to, as a reader would ask about it ("has it code?"). */
export type PaperLinkKind = 'code' | 'model' | 'data' | 'project' | 'video' | 'other';

/** One link of a paper: its kind, a canonical https URL and a short label ("org/repo"). */
export interface PaperLink {
  kind: PaperLinkKind;
  url: string;
  label: string;
  /** GitHub stars at the last check (GITHUB_ENRICH), for code links to github.com. */
  stars?: number;
  /** The repository is archived (read-only) on GitHub. */
  archived?: boolean;
}

/** The fields links are looked for in. */
export interface LinkSource {
  abstract: string;
  comment: string | null;
  journalRef: string | null;
}

/** At most this many links per paper: a comment listing fifty URLs is noise, not metadata. */
export const MAX_LINKS = 12;
/** URLs longer than this are dropped (no real repository or project page needs more). */
const MAX_URL_CHARS = 500;

/** Hosts where the repository is the first two path segments ("github.com/org/repo/tree/main" → "org/repo"). */
const REPO_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);
const VIDEO_HOSTS = new Set(['youtube.com', 'youtu.be', 'vimeo.com', 'bilibili.com']);
const DATA_HOSTS = new Set(['zenodo.org', 'kaggle.com', 'osf.io', 'figshare.com', 'dataverse.harvard.edu']);
/** Hosts known to serve https, so that an "http://" link to them is upgraded. */
const HTTPS_HOSTS = new Set([
  ...REPO_HOSTS,
  ...VIDEO_HOSTS,
  ...DATA_HOSTS,
  'huggingface.co',
  'archive.softwareheritage.org',
]);
/** Paths on a repository host that are the site's own pages, not a repository. */
const NOT_OWNERS = new Set([
  'about',
  'features',
  'pricing',
  'topics',
  'explore',
  'marketplace',
  'orgs',
  'login',
]);

/** A link-looking run: http(s) or a bare "www."/"github.com/" start, up to whitespace or a closing wrapper. */
const URL_RUN = /(?:\bhttps?:\/\/|(?<![\w/:.@-])(?:www\.|github\.com\/))[^\s<>"'{}\\]+/gi;
/** Characters that end a sentence or close a wrapper rather than belonging to the URL. */
const TRAILING_NO_PAREN = /[.,;:!?'"*\]}>]+$/;
/** Words before a link that say it is the paper's own page. */
const PROJECT_CUE = /(project|website|homepage|home page|demo|page)\W{0,4}$/i;

/**
 * Every distinct link in the paper's text fields, code first, at most MAX_LINKS.
 * @example extractPaperLinks({ abstract: 'Code: https://github.com/a/b.', comment: null, journalRef: null })
 *   // [{ kind: 'code', url: 'https://github.com/a/b', label: 'a/b' }]
 */
export function extractPaperLinks(source: LinkSource): PaperLink[] {
  const text = [source.abstract, source.comment ?? '', source.journalRef ?? ''].join('\n');
  // The cheap test first: most abstracts have no link at all.
  if (!/https?:|www\.|github\.com/i.test(text)) return [];
  const seen = new Set<string>();
  const links: PaperLink[] = [];
  const plain = unwrapLatex(text);
  for (const match of plain.matchAll(URL_RUN)) {
    let link = classifyLink(match[0]);
    if (link === null || seen.has(link.url)) continue;
    const before = plain.slice(Math.max(0, (match.index ?? 0) - 24), match.index);
    if (link.kind === 'other' && PROJECT_CUE.test(before)) link = { ...link, kind: 'project' };
    seen.add(link.url);
    links.push(link);
  }
  const order: PaperLinkKind[] = ['code', 'model', 'data', 'project', 'video', 'other'];
  return links.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind)).slice(0, MAX_LINKS);
}

/** Turns `\url{x}` and `\href{x}{text}` into " x " so the URL stands alone. */
function unwrapLatex(text: string): string {
  return text.includes('\\') ? text.replace(/\\(?:url|href)\s*\{([^}]*)\}/g, ' $1 ') : text;
}

/**
 * One raw URL run as a classified, canonical link, or null when it is not an http(s) link worth showing.
 * @example classifyLink('http://github.com/Org/Repo/tree/main).') // { kind: 'code', url: 'https://github.com/Org/Repo', label: 'Org/Repo' }
 */
export function classifyLink(raw: string): PaperLink | null {
  let text = trimTrailing(raw);
  if (!/^https?:\/\//i.test(text)) text = `https://${text}`;
  if (text.length > MAX_URL_CHARS || href(text) === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '' || !url.hostname.includes('.')) return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (HTTPS_HOSTS.has(host)) url.protocol = 'https:';
  return classifyUrl(url, host);
}

/** Drops closing punctuation, keeping a ")" that closes a "(" inside the URL (Wikipedia-style paths). */
function trimTrailing(raw: string): string {
  let text = raw.replace(TRAILING_NO_PAREN, '');
  while (text.endsWith(')') && count(text, '(') < count(text, ')')) {
    text = text.slice(0, -1).replace(TRAILING_NO_PAREN, '');
  }
  return text;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function classifyUrl(url: URL, host: string): PaperLink | null {
  const parts = url.pathname.split('/').filter((s) => s !== '');
  if (REPO_HOSTS.has(host)) return repoLink(host, parts, url);
  if (host === 'huggingface.co') return huggingFaceLink(parts, url);
  if (host === 'archive.softwareheritage.org')
    return { kind: 'code', url: url.href, label: 'Software Heritage' };
  if (host.endsWith('.github.io') || host.endsWith('.gitlab.io')) {
    return { kind: 'project', url: stripFragment(url), label: host + trimSlash(url.pathname) };
  }
  if (VIDEO_HOSTS.has(host)) return { kind: 'video', url: url.href, label: host };
  if (DATA_HOSTS.has(host)) return { kind: 'data', url: stripFragment(url), label: host };
  if (host.endsWith('.')) return null;
  return { kind: 'other', url: url.href, label: host };
}

/** One entry per repository: extra path segments (tree/main, blob/..., issues) and ".git" are dropped. */
function repoLink(host: string, parts: string[], url: URL): PaperLink {
  const [owner, repoPart] = parts;
  if (owner === undefined || NOT_OWNERS.has(owner.toLowerCase())) {
    return { kind: 'other', url: url.href, label: host };
  }
  if (repoPart === undefined) return { kind: 'code', url: `https://${host}/${owner}`, label: owner };
  const repo = repoPart.replace(/\.git$/i, '');
  return { kind: 'code', url: `https://${host}/${owner}/${repo}`, label: `${owner}/${repo}` };
}

/** Hugging Face: /datasets/x/y is data, /spaces/x/y a project demo, /x/y a model; /papers etc. other. */
function huggingFaceLink(parts: string[], url: URL): PaperLink {
  const [first, second, third] = parts;
  if (first === 'datasets' && second !== undefined) {
    const name = third === undefined ? second : `${second}/${third}`;
    return { kind: 'data', url: `https://huggingface.co/datasets/${name}`, label: name };
  }
  if (first === 'spaces' && second !== undefined && third !== undefined) {
    return {
      kind: 'project',
      url: `https://huggingface.co/spaces/${second}/${third}`,
      label: `${second}/${third}`,
    };
  }
  const reserved = new Set([
    'papers',
    'docs',
    'blog',
    'models',
    'datasets',
    'spaces',
    'collections',
    'login',
  ]);
  if (first !== undefined && second !== undefined && !reserved.has(first)) {
    return { kind: 'model', url: `https://huggingface.co/${first}/${second}`, label: `${first}/${second}` };
  }
  return { kind: 'other', url: url.href, label: 'huggingface.co' };
}

function stripFragment(url: URL): string {
  return url.href.replace(/#.*$/, '');
}

function trimSlash(path: string): string {
  return path === '/' ? '' : path.replace(/\/$/, '');
}
