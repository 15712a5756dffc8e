// Recognizes an arXiv paper reference in a query: a bare id, an id with version, arXiv:id, or an arxiv.org URL.

/** New-style ids: YYMM.NNNN(N) with an optional version. */
const NEW_ID_RE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$/;
/** Old-style ids: archive(.SUBJECT)/YYMMNNN with an optional version ("hep-th/9901001v2"). */
const OLD_ID_RE = /^([a-z][a-z-]*(?:\.[a-z]{2})?)\/(\d{7})(?:v\d+)?$/i;
const URL_RE = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;
const PREFIX_RE = /^arxiv:/i;
const TRAILING_PUNCT_RE = /[.,;:!?)\]]+$/;
const LEADING_PUNCT_RE = /^[([]+/;

/**
 * The arXiv id (without version) that `text` names, or null when it names none.
 * @example parseArxivRef('https://arxiv.org/abs/2503.11677v2') // '2503.11677'
 * @example parseArxivRef('hep-th/9901001') // 'hep-th/9901001'
 * @example parseArxivRef('transformers') // null
 */
export function parseArxivRef(text: string): string | null {
  let s = text.trim();
  const url = URL_RE.exec(s);
  if (url !== null) s = url[1] ?? '';
  s = s.replace(PREFIX_RE, '');
  if (url === null) s = s.replace(TRAILING_PUNCT_RE, '').replace(LEADING_PUNCT_RE, '');
  const neu = NEW_ID_RE.exec(s);
  if (neu !== null) {
    const month = Number(neu[2]);
    const fiveDigits = (neu[3] ?? '').length === 5;
    // Five-digit serials began in 2015 (1501); earlier ids have four digits.
    if (month < 1 || month > 12 || fiveDigits !== Number(`${neu[1]}${neu[2]}`) >= 1501) return null;
    return `${neu[1]}${neu[2]}.${neu[3]}`;
  }
  const old = OLD_ID_RE.exec(s);
  if (old !== null) return `${(old[1] ?? '').toLowerCase()}/${old[2]}`;
  return null;
}
