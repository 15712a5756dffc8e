// Lint rules, including DESIGN.md's import rule: data flows one way,
// domain <- ingest, store, index, rank, digest <- services <- web, cli <- main.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers each folder must not import from (its downstream neighbours and siblings it must not know). */
const forbidden = {
  domain: ['ingest', 'store', 'index', 'rank', 'digest', 'services', 'web', 'cli', 'main', 'config'],
  ingest: ['store', 'index', 'rank', 'digest', 'services', 'web', 'cli', 'main'],
  store: ['ingest', 'index', 'rank', 'digest', 'services', 'web', 'cli', 'main'],
  index: ['ingest', 'store', 'rank', 'digest', 'services', 'web', 'cli', 'main'],
  rank: ['ingest', 'store', 'index', 'digest', 'services', 'web', 'cli', 'main'],
  digest: ['ingest', 'store', 'index', 'rank', 'services', 'web', 'cli', 'main'],
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
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test-artifacts/**', '.cache/**'] },
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
  ...Object.entries(forbidden).map(([layer, banned]) => layerRule(layer, banned)),
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
