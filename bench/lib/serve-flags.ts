// The Node flags a benchmark starts `paperboy serve` with: the ones serve runs with in production.
/**
 * `npx paperboy serve` (bin/paperboy.mjs's shebang) and `npm start` give V8 a 4 MB young generation; a plain
 * spawn of bin/paperboy.mjs would get V8's 16 MB default, so a bench would time a serve nobody runs. Measured
 * at 300k papers (docs/BENCHMARKS.md "#23 p99 after restart (h24p)"): 16 MB makes a quarter as many
 * scavenges but each 2–3× longer, and the p99s were no better, so serve keeps 4 MB.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
