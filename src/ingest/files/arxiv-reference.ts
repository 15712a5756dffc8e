// Finds arXiv identifiers inside free text, URLs and arXiv DOIs (bibliographic files hide them in many places).
import { parseArxivId } from '../normalize.ts';

type ArxivRef = { id: string; version: number | null };

const ID = String.raw`([a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?|\d{4}\.\d{4,5}(?:v\d+)?)`;
const IN_URL = new RegExp(String.raw`arxiv\.org\/(?:abs|pdf|html)\/${ID}`, 'i');
const IN_TEXT = new RegExp(String.raw`arxiv\s*:?\s*(?:preprint\s+(?:arxiv\s*:?\s*)?)?${ID}`, 'i');

/**
 * Finds "arXiv:2401.00001v2", "arXiv preprint arXiv:2401.00001" or an arxiv.org abs/pdf URL in text.
 * @example findArxivReference('arXiv preprint arXiv:2401.00001') // { id: '2401.00001', version: null }
 */
export function findArxivReference(text: string): ArxivRef | null {
  const m = IN_URL.exec(text) ?? IN_TEXT.exec(text);
  return m?.[1] !== undefined ? parseArxivId(m[1]) : null;
}

/**
 * The arXiv id behind an arXiv-assigned DOI (10.48550/arXiv.<id>), given a normalized (lower-case) DOI.
 * @example arxivIdFromDoi('10.48550/arxiv.2401.00001') // { id: '2401.00001', version: null }
 */
export function arxivIdFromDoi(doi: string | null): ArxivRef | null {
  const m = doi !== null ? /^10\.48550\/arxiv\.(.+)$/.exec(doi) : null;
  return m?.[1] !== undefined ? parseArxivId(m[1]) : null;
}
