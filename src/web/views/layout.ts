// The page shell shared by every HTML page.
import { html, type SafeHtml } from './html.ts';

/** Wraps page content in the document shell. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · Paperboy</title>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header class="site"><a class="brand" href="/">Paperboy</a></header>
<main id="main">
${body}
</main>
</body>
</html>`.value;
}
