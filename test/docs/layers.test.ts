// Keeps docs/DESIGN.md "Layers" and the README's "Where things are" in step with the folders on disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const design = readFileSync(join(root, 'docs/DESIGN.md'), 'utf8');
const layers = design.slice(
  design.indexOf('## Layers'),
  design.indexOf('\n## ', design.indexOf('## Layers') + 1),
);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const features = readdirSync(join(root, 'src/services'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('the layout docs', () => {
  it('DESIGN.md has a Layers section, which lint and the README point to', () => {
    expect(layers.length).toBeGreaterThan(500);
    expect(readFileSync(join(root, 'eslint.config.js'), 'utf8')).toContain('docs/DESIGN.md');
    expect(readme).toContain('"Layers"');
  });

  it('names every feature folder, and each folder has an index.ts as its public face', () => {
    expect(features.length).toBeGreaterThan(5);
    for (const f of features) {
      expect(layers, `DESIGN.md Layers names ${f}`).toContain(`${f}`);
      expect(readme, `README names ${f}`).toMatch(new RegExp(`\\b${f}\\b`));
      expect(existsSync(join(root, 'src/services', f, 'index.ts')), `src/services/${f}/index.ts`).toBe(true);
    }
  });

  it('names every top-level folder of src/', () => {
    const tops = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory());
    for (const d of tops) expect(readme, `README names src/${d.name}/`).toContain(`src/${d.name}/`);
  });
});
