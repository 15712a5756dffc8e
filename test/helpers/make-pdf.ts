// Writes small, valid PDF files by hand (header, objects, a cross-reference table with real offsets,
// trailer), so thumbnail tests render real PDFs without a PDF library.

/**
 * A one-page PDF whose page draws `content` (a PDF content stream) on a `width` x `height` point page.
 * @example makePdf('0 0 1 rg 20 20 100 100 re f') // a blue square
 */
export function makePdf(content: string, width = 612, height = 792): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R ` +
      '/Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A title page: a heading and a few lines of text. */
export function titlePagePdf(title: string): Buffer {
  const safe = title.replace(/[()\\]/g, '');
  return makePdf(
    `BT /F1 24 Tf 72 700 Td (${safe}) Tj ET\n` +
      'BT /F1 11 Tf 72 660 Td (Ada Lovelace, Charles Babbage) Tj ET\n' +
      '0.2 0.3 0.8 rg 72 400 468 200 re f',
  );
}

/** A page that takes the renderer a long time: many thousands of stroked curves. */
export function slowPdf(paths = 300_000): Buffer {
  const ops: string[] = ['0.5 w'];
  for (let i = 0; i < paths; i++) {
    const x = (i * 37) % 600;
    const y = (i * 91) % 780;
    ops.push(`${x} ${y} m ${x + 40} ${y + 90} ${x + 80} ${y - 50} ${x + 120} ${y + 10} c S`);
  }
  return makePdf(ops.join('\n'));
}
