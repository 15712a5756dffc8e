// Parses a copied papers page: title and abstract lines, after stripping the page's own chrome.
import { emptyPaperInput } from '../../domain/paper.ts';
import type { SourceRecord } from '../../domain/record.ts';
import { cleanText } from '../normalize.ts';
import type { LineInput, NumberedLine } from './lines.ts';

/** Whole lines of page chrome (Hugging Face Papers style) that are never a title or an abstract. */
const CHROME_LINES = [
  /^get trending papers in your (e-?mail )?inbox( once a day)?!?$/i,
  /^subscribe$/i,
  /^(daily|trending) papers$/i,
  /^(load more|show more|view all|back to top)$/i,
];

/** Chrome glued onto the first title when the page was copied ("SubscribeInstance-aware ..."). */
const GLUED_CHROME = /^[Ss]ubscribe(?=[A-Z0-9])/;

/** A second line this long is a whole abstract on one line, so the run alternates title/abstract. */
const ONE_LINE_ABSTRACT_CHARS = 200;

/** A title longer than this is really an abstract (the pairing has slipped). */
const MAX_TITLE_CHARS = 600;

/**
 * Records from title/abstract text. Papers follow each other directly or are separated by blank lines.
 * In a run of non-blank lines, an abstract-length second line (200+ characters) means the run alternates
 * title, abstract, title, abstract (the copied-page layout); otherwise the first line is the title and
 * the rest of the run is its abstract, wrapped. Records have no identifiers (arxivId stays null);
 * location is `${sourceName}:${titleLine}`.
 */
export async function* parsePlainText(lines: LineInput, sourceName: string): AsyncGenerator<SourceRecord> {
  const run = new RunState(sourceName);
  for await (const { line, lineNo } of lines) {
    const text = cleanText(line);
    const record =
      text === ''
        ? run.end()
        : CHROME_LINES.some((re) => re.test(text))
          ? null
          : run.push({ line: text, lineNo });
    if (record !== null) yield record;
  }
  const last = run.end();
  if (last !== null) yield last;
}

class RunState {
  private title: NumberedLine | null = null;
  private abstract: NumberedLine[] = [];
  private mode: 'undecided' | 'alternating' | 'wrapped' = 'undecided';
  private seenPaper = false;

  constructor(private readonly sourceName: string) {}

  /** Takes one non-blank line; returns a record when it completes one. */
  push(line: NumberedLine): SourceRecord | null {
    if (this.title === null) return this.startTitle(line);
    const oneLineAbstract = line.line.length >= ONE_LINE_ABSTRACT_CHARS;
    if (this.mode === 'wrapped' && oneLineAbstract && !this.seenPaper) {
      // "Site header / Title / one-line abstract": the short lines above the title were page chrome.
      const title = this.abstract.pop() ?? this.title;
      this.abstract = [];
      this.startTitle(title);
      this.mode = 'alternating';
    }
    if (this.mode === 'undecided') this.mode = oneLineAbstract ? 'alternating' : 'wrapped';
    this.abstract.push(line);
    return this.mode === 'alternating' ? this.finish() : null;
  }

  /** Ends the run at a blank line or the end of the file. */
  end(): SourceRecord | null {
    const record = this.title !== null ? this.finish() : null;
    this.mode = 'undecided';
    return record;
  }

  private startTitle(line: NumberedLine): SourceRecord | null {
    const text = this.seenPaper ? line.line : line.line.replace(GLUED_CHROME, '');
    if (text.length > MAX_TITLE_CHARS && this.mode === 'alternating') {
      const reason = `line ${line.lineNo} is ${text.length} characters, too long for a title; is a title line missing above it?`;
      return { ok: false, reason, location: `${this.sourceName}:${line.lineNo}` };
    }
    this.title = { line: text, lineNo: line.lineNo };
    return null;
  }

  private finish(): SourceRecord {
    const title = this.title ?? { line: '', lineNo: 0 };
    const abstract = this.abstract.map((l) => l.line).join(' ');
    this.title = null;
    this.abstract = [];
    const location = `${this.sourceName}:${title.lineNo}`;
    if (abstract === '')
      return {
        ok: false,
        reason: `line ${title.lineNo} looks like a title, but no abstract follows it`,
        location,
      };
    this.seenPaper = true;
    return { ok: true, paper: { ...emptyPaperInput(), title: title.line, abstract }, location };
  }
}
