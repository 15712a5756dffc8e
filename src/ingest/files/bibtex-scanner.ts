// Cuts a BibTeX file into raw entries line by line, resynchronising at the next "@type{" after a broken one.

/** One raw entry ("@article{key, ...}") with the line it starts on, or an entry that could not be delimited. */
export type ScannedEntry =
  | { kind: 'entry'; text: string; startLine: number }
  | { kind: 'broken'; reason: string; startLine: number };

/** An entry longer than this is almost surely a missing closing brace swallowing the file. */
export const MAX_ENTRY_CHARS = 1024 * 1024;

const ENTRY_START = /^\s*@[A-Za-z]+\s*[{(]/;

type State =
  | { mode: 'outside' }
  | { mode: 'header'; text: string; startLine: number }
  | { mode: 'body'; text: string; startLine: number; closer: '}' | ')'; depth: number; inQuote: boolean }
  | { mode: 'skip' };

/**
 * A push scanner: feed it lines, collect entries. Text outside entries is a comment, as in BibTeX.
 * @example const s = new BibtexScanner(); const out = [...s.feed('@misc{a, title={T}}', 1), ...s.end()];
 */
export class BibtexScanner {
  private state: State = { mode: 'outside' };
  private out: ScannedEntry[] = [];

  /** Scans one line (without its terminator) and returns the entries it completed. */
  feed(line: string, lineNo: number): ScannedEntry[] {
    const out = this.startLine(line, lineNo);
    out.push(...this.scan(line, lineNo));
    this.endLine();
    return out;
  }

  /**
   * Begins a line that is then scanned in one or more pieces (`scan`) and closed with `endLine`, so a
   * caller can pause inside a very long line. Returns the entry a new "@type{" line cut off, if any.
   */
  startLine(line: string, lineNo: number): ScannedEntry[] {
    this.out = [];
    if (this.state.mode !== 'outside' && ENTRY_START.test(line)) this.resync(lineNo);
    return this.take();
  }

  /** Scans the next piece of the current line and returns the entries it completed. */
  scan(piece: string, lineNo: number): ScannedEntry[] {
    for (let i = 0; i < piece.length; i += 1) this.step(piece.charAt(i), lineNo);
    return this.take();
  }

  private take(): ScannedEntry[] {
    const done = this.out;
    this.out = [];
    return done;
  }

  /** Ends the current line (a line break is whitespace inside an entry). */
  endLine(): void {
    this.append('\n');
  }

  /** Reports an entry left open at the end of the file. */
  end(): ScannedEntry[] {
    const out: ScannedEntry[] = [];
    if (this.state.mode === 'body') {
      out.push({
        kind: 'broken',
        reason: 'the file ends before this entry is closed (a "}" is missing)',
        startLine: this.state.startLine,
      });
    }
    this.state = { mode: 'outside' };
    return out;
  }

  private resync(lineNo: number): void {
    if (this.state.mode === 'body') {
      const reason = `this entry is not closed before the next entry at line ${lineNo} (a "}" is missing)`;
      this.out.push({ kind: 'broken', reason, startLine: this.state.startLine });
    }
    this.state = { mode: 'outside' };
  }

  private step(ch: string, lineNo: number): void {
    const s = this.state;
    if (s.mode === 'outside') {
      if (ch === '@') this.state = { mode: 'header', text: '@', startLine: lineNo };
    } else if (s.mode === 'header') {
      this.stepHeader(s, ch, lineNo);
    } else if (s.mode === 'body') {
      this.stepBody(s, ch);
    }
  }

  private stepHeader(s: Extract<State, { mode: 'header' }>, ch: string, lineNo: number): void {
    if (ch === '{' || ch === '(') {
      const typed = /^@\s*[A-Za-z]+\s*$/.test(s.text);
      this.state = typed
        ? {
            mode: 'body',
            text: s.text + ch,
            startLine: s.startLine,
            closer: ch === '{' ? '}' : ')',
            depth: 0,
            inQuote: false,
          }
        : { mode: 'outside' };
    } else if (/[A-Za-z\s]/.test(ch) && s.text.length < 64) {
      s.text += ch;
    } else {
      // "user@example.org" or "@comment some words" outside entries: not an entry after all.
      this.state = ch === '@' ? { mode: 'header', text: '@', startLine: lineNo } : { mode: 'outside' };
    }
  }

  private stepBody(s: Extract<State, { mode: 'body' }>, ch: string): void {
    s.text += ch;
    if (ch === '{') s.depth += 1;
    else if (ch === '}' && s.depth > 0) s.depth -= 1;
    else if (ch === '"' && s.depth === 0) s.inQuote = !s.inQuote;
    else if (ch === s.closer && s.depth === 0 && !(s.inQuote && ch === ')')) this.finish(s);
    if (this.state === s && s.text.length > MAX_ENTRY_CHARS) {
      const reason = `this entry is longer than ${MAX_ENTRY_CHARS} characters; a closing "}" is probably missing`;
      this.out.push({ kind: 'broken', reason, startLine: s.startLine });
      this.state = { mode: 'skip' };
    }
  }

  private finish(s: Extract<State, { mode: 'body' }>): void {
    this.out.push({ kind: 'entry', text: s.text, startLine: s.startLine });
    this.state = { mode: 'outside' };
  }

  private append(text: string): void {
    if (this.state.mode === 'header' || this.state.mode === 'body') this.state.text += text;
  }
}
