// Lint rules, including the import rule of docs/DESIGN.md ("Layers"): data flows one way,
// domain <- ingest, store, index, rank, digest <- services <- web, cli <- main, with platform/ (logger,
// mailer, hashing, random, rate limits, secret, job lease) usable by services and everything after them.
// Outside a feature folder of services/ (and outside platform/ and digest/), only its index.ts is imported.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers each folder must not import from (its downstream neighbours and siblings it must not know). */
const forbidden = {
  domain: [
    'ingest',
    'store',
    'index',
    'rank',
    'digest',
    'platform',
    'services',
    'web',
    'cli',
    'main',
    'config',
  ],
  ingest: ['store', 'index', 'rank', 'digest', 'platform', 'services', 'web', 'cli', 'main'],
  store: ['ingest', 'index', 'rank', 'digest', 'platform', 'services', 'web', 'cli', 'main'],
  index: ['ingest', 'store', 'rank', 'digest', 'platform', 'services', 'web', 'cli', 'main'],
  rank: ['ingest', 'store', 'index', 'digest', 'platform', 'services', 'web', 'cli', 'main'],
  digest: ['ingest', 'store', 'index', 'rank', 'services', 'web', 'cli', 'main'],
  platform: ['index', 'rank', 'digest', 'services', 'web', 'cli', 'main'],
  services: ['web', 'cli', 'main'],
  web: ['cli', 'main', 'store'],
  cli: ['web', 'main', 'store'],
};

function layerRule(layer, banned) {
  const patterns = banned.flatMap((b) =>
    b === 'main' || b === 'config'
      ? [{ group: [`**/${b}.ts`], message: `${layer}/ must not import ${b}.ts (see DESIGN.md import rule).` }]
      : [
          {
            group: [`../${b}/*`, `../../${b}/*`, `../../../${b}/*`, `../${b}`, `../../${b}`],
            message: `${layer}/ must not import ${b}/ (see DESIGN.md import rule).`,
          },
        ],
  );
  const faces = faceRules[layer];
  if (faces === undefined) {
    return [{ files: [`src/${layer}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } }];
  }
  return faces.map(({ files, group }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, ...group] }] },
  }));
}

/** Another folder's modules are reached through its index.ts; these match the files behind it. */
const FACE = 'import a feature folder through its index.ts (its public face; see docs/DESIGN.md "Layers")';
const faceAnywhere = [
  { regex: '(^|/)(platform|digest)/(?!index\\.ts$)[^/]+$', message: FACE },
  { regex: '(^|/)services/[^/]+/(?!index\\.ts$)[^/]+$', message: FACE },
];
const faceRules = {
  web: [{ files: ['src/web/**/*.ts'], group: faceAnywhere }],
  cli: [{ files: ['src/cli/**/*.ts'], group: faceAnywhere }],
  services: [
    {
      files: ['src/services/*.ts'],
      group: [...faceAnywhere, { regex: '^\\./[^/]+/(?!index\\.ts$)[^/]+$', message: FACE }],
    },
    {
      files: ['src/services/*/**/*.ts'],
      group: [...faceAnywhere, { regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$)[^/]+$', message: FACE }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-artifacts/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'prefer-const': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  ...Object.entries(forbidden).flatMap(([layer, banned]) => layerRule(layer, banned)),
  { files: ['src/main.ts'], rules: { 'no-restricted-imports': ['error', { patterns: faceAnywhere }] } },
  {
    // The site's progressive-enhancement script runs in browsers.
    files: ['src/web/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        HTMLFormElement: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
);
