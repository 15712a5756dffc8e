// Bundles the CLI's TypeScript into dist/ (esbuild, a few seconds, offline) so a cold command skips tsx's compiling.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MANIFEST, MANIFEST_FORMAT, stamp } from '../bin/bundle-check.mjs';

/*
 * What the bundle holds: Paperboy's own sources, and the pure-JavaScript packages a cold command loads as
 * hundreds of small modules (kysely, zod: resolving and loading them one by one costs about 0.2 s). Other
 * packages stay imports resolved from node_modules at run time (native addons, and files they read beside
 * themselves, cannot move; the PostgreSQL driver and the web server load only when used). All outputs lie flat in one folder,
 * so a source's `import.meta.url` can be rewritten to point back at the source file from any of them: assets
 * read beside the sources (site.js, map.js), package.json and the worker files keep resolving, and workers
 * still run from the sources through tsx.
 *
 * The manifest lists every source file the bundle was made from with its size and modification time;
 * bin/paperboy.mjs uses the bundle only while all of them are unchanged (bin/bundle-check.mjs).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// esbuild comes with tsx (a dependency): resolved from tsx itself, wherever npm placed it.
const esbuild = createRequire(createRequire(join(ROOT, 'package.json')).resolve('tsx/esm/api'))('esbuild');

/** Where the build writes: dist/ by default, or the folder given as the first argument (tests). */
const OUT = resolve(ROOT, process.argv[2] ?? 'dist');
/** Files beyond the bundled sources whose change makes a bundle stale. */
const ALSO = ['tsconfig.json', 'package.json', 'scripts/build.mjs'];

/** Packages bundled with the sources (with whatever they import); every other package stays external. */
const BUNDLED = new Set(['kysely', 'zod']);

/** Keeps packages out of the bundle except BUNDLED ones (by name, subpaths included). */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const parts = args.path.split('/');
      const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (BUNDLED.has(name) || args.importer.includes('node_modules')) return undefined;
      return { external: true };
    });
  },
};

/** Rewrites `import.meta.url`, `.dirname` and `.filename` in a source to the source file's own location. */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      let text = await readFile(args.path, 'utf8');
      if (text.includes('import.meta.')) {
        const fromOut = JSON.stringify(relative(OUT, args.path).split('\\').join('/'));
        const url = `new URL(${fromOut}, import.meta.url)`;
        text = text
          .replaceAll('import.meta.url', `${url}.href`)
          .replaceAll('import.meta.dirname', `__pbDirname(__pbFileURLToPath(${url}))`)
          .replaceAll('import.meta.filename', `__pbFileURLToPath(${url})`);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

const started = performance.now();
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { paperboy: 'src/main.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  banner: {
    js: "import { fileURLToPath as __pbFileURLToPath } from 'node:url'; import { dirname as __pbDirname } from 'node:path';",
  },
  plugins: [externalPackages, sourceLocations],
});

const inputs = Object.keys(result.metafile.inputs);
const sources = inputs.filter((p) => !p.includes('node_modules'));
const files = {};
for (const p of [...inputs, ...ALSO].sort()) files[p] = stamp(join(ROOT, p));
const outputs = {};
for (const name of readdirSync(OUT)) outputs[name] = statSync(join(OUT, name)).size;
// Written last: a build cut short leaves no manifest, so the launcher keeps to the sources.
writeFileSync(
  join(OUT, MANIFEST),
  JSON.stringify({ format: MANIFEST_FORMAT, entry: 'paperboy.js', files, outputs }),
);
const ms = Math.round(performance.now() - started);
process.stdout.write(
  `paperboy: bundled ${sources.length} source files and ${inputs.length - sources.length} package files into ${relative(ROOT, OUT) || '.'}/ in ${ms} ms\n`,
);
