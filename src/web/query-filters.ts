// Keeps the search page's Category/From/Before fields and the `cat:`/`since:`/`before:` words of its query in step.
import { parseDateBound } from '../index/lexical/date-bound.ts';

export interface FormFilters {
  category: string;
  since: string;
  before: string;
  /** 'code' when the query says `has:code` (the "With code" box), else ''. */
  has?: string;
}

/** The one `has:` the form has a box for; other `has:` words stay in the query untouched. */
const HAS_CODE_RE = /(^|\s)has:code(?=\s|$)/gi;

const FIELD_RE = /(^|\s)(cat|category|since|before):(\S+)/gi;
const FIELD_NAME: Readonly<Record<string, keyof FormFilters>> = {
  cat: 'category',
  category: 'category',
  since: 'since',
  before: 'before',
};

/** A date bound as a date box shows it (`2025-06` → `2025-06-01`), or '' when it is not a date. */
function day(value: string, field: string): string {
  try {
    return parseDateBound(value, field);
  } catch {
    return '';
  }
}

/**
 * The first `cat:`, `since:` and `before:` values of a query (excluded ones, `-cat:`, are not filters of
 * the form), with categories spelled as in `known` when they are there.
 * @example filtersOf('llm cat:cs.cl since:2025-06', ['cs.CL']) // { category: 'cs.CL', since: '2025-06-01', before: '' }
 */
export function filtersOf(q: string, known: readonly string[]): FormFilters {
  const out: FormFilters = { category: '', since: '', before: '', has: '' };
  if (q.search(HAS_CODE_RE) >= 0) out.has = 'code';
  for (const m of q.matchAll(FIELD_RE)) {
    const name = FIELD_NAME[(m[2] ?? '').toLowerCase()];
    const value = m[3] ?? '';
    if (name === undefined || out[name] !== '') continue;
    if (name === 'category')
      out.category = known.find((c) => c.toLowerCase() === value.toLowerCase()) ?? value;
    else out[name] = day(value, name);
  }
  return out;
}

/**
 * The query with its `cat:`, `since:` and `before:` words replaced by the form's choices (an empty choice
 * removes them): what the filter form submits wins, and the query then says it.
 * @example foldFilters('llm cat:cs.CV', { category: 'cs.CL', since: '', before: '' }) // 'llm cat:cs.CL'
 */
export function foldFilters(q: string, form: FormFilters): string {
  const rest = q.replace(FIELD_RE, '$1').replace(HAS_CODE_RE, '$1').replace(/\s+/g, ' ').trim();
  const added = [
    form.category !== '' ? `cat:${form.category}` : '',
    form.since !== '' ? `since:${form.since}` : '',
    form.before !== '' ? `before:${form.before}` : '',
    form.has === 'code' ? 'has:code' : '',
  ].filter((x) => x !== '');
  return [rest, ...added].filter((x) => x !== '').join(' ');
}
