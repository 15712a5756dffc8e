// The site's stylesheet, served from memory (light and dark via the system setting).
export const SITE_CSS = `
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --muted: #5c5f66; --accent: #0b5cad; --card: #f6f7f9; }
@media (prefers-color-scheme: dark) { :root { --fg: #e7e7ea; --bg: #131417; --muted: #a1a4ab; --accent: #7fb4ff; --card: #1c1e22; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header.site { padding: .75rem 1rem; border-bottom: 1px solid var(--card); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
main { max-width: 50rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.paper { background: var(--card); border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 1rem; }
.paper h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 .5rem; }
.abstract { margin: 0 0 .5rem; overflow-wrap: anywhere; }
pre { overflow-x: auto; background: var(--card); padding: .75rem; }
`;
