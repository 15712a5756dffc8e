// One TeX formula as KaTeX HTML with the options every surface uses: comments and paper texts render math alike.
// Imported by path, not through domain/index.ts, so that only the modules that render math load KaTeX.
import katex from 'katex';

/**
 * The formula as HTML (MathML for readers of the page's text too), or null when KaTeX cannot render it: the
 * caller shows the source instead, escaped in its own way.
 * @example texHtml('x^2', false) // '<span class="katex">…'
 */
export function texHtml(tex: string, display: boolean): string | null {
  try {
    // trust: false keeps \href, \url, \includegraphics and \html* off; maxExpand bounds macro loops.
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      trust: false,
      strict: 'ignore',
      maxExpand: 200,
      maxSize: 20,
      output: 'htmlAndMathml',
    });
  } catch {
    return null;
  }
}
