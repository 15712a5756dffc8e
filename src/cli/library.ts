// `paperboy library import`: a reader's BibTeX, CSL-JSON or arXiv-id list into their library and interests.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../errors.ts';
import { parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';

const FORMATS = ['auto', 'bibtex', 'csl-json', 'ids'] as const;
type Format = (typeof FORMATS)[number];

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('SOURCE_UNREADABLE', `Cannot read ${path}: ${(err as Error).message}`, [], {
      cause: err,
    });
  }
}

export const libraryCommand: Command = {
  name: 'library',
  summary: "import a reader's library (BibTeX, CSL-JSON or arXiv ids)",
  help: `Usage: paperboy library import <file> --user <email> [--tag T] [--format F] [--json]

Matches each entry of a BibTeX file, a Zotero "CSL JSON" export or a list of arXiv
ids (one or more per line, # comments) against the stored papers by arXiv id, DOI,
then title and first author. Matches are saved to the reader's library; entries that
match nothing but have a title still shape the reader's "For you" page. Broken
entries are listed with their line and reason; the rest are imported.

Options:
  --user EMAIL   the account to import into (required)
  --tag T        tag the newly saved papers with T
  --format F     auto (default), bibtex, csl-json or ids
  --json         print the report as one JSON object
  -h, --help     show this help

Exit codes: 0 imported, 1 nothing new, 3 some entries rejected, 4 no such account.`,
  async run(ctx, args) {
    const { values, positionals } = parseCommandArgs('library', args, {
      user: { type: 'string' },
      tag: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [sub, file, ...extra] = positionals;
    if (sub !== 'import' || file === undefined || extra.length > 0)
      throw new AppError(
        'USAGE',
        'Usage: paperboy library import <file> --user <email>. See `paperboy library --help`.',
      );
    if (values.user === undefined)
      throw new AppError('USAGE', 'paperboy library import: --user <email> is required.');
    const format = (values.format ?? 'auto') as Format;
    if (!FORMATS.includes(format))
      throw new AppError('USAGE', `paperboy library import: --format must be one of ${FORMATS.join(', ')}.`);
    const text = await readText(file);
    const services = await ctx.services();
    const userId = await services.forYou.userIdByEmail(values.user);
    const r = await services.forYou.importLibrary(userId, text, {
      source: basename(file),
      ...(format !== 'auto' ? { format } : {}),
      ...(values.tag !== undefined ? { tags: [values.tag] } : {}),
    });
    if (values.json === true) println(ctx.stdout, JSON.stringify(r));
    else {
      println(
        ctx.stdout,
        `${file} (${r.format}): ${r.entries} entries; ${r.saved} saved, ${r.alreadySaved} already saved, ${r.interests} kept as interests, ${r.unmatched.length} not found, ${r.rejected.length} rejected`,
      );
      for (const x of r.rejected) println(ctx.stderr, `  rejected ${x.location}: ${x.reason}`);
      for (const x of r.unmatched.slice(0, 20)) println(ctx.stderr, `  not found ${x.location}: ${x.ref}`);
      if (r.unmatched.length > 20) println(ctx.stderr, `  … and ${r.unmatched.length - 20} more not found`);
    }
    if (r.rejected.length > 0) return EXIT.REJECTED;
    return r.saved + r.interests > 0 ? EXIT.OK : EXIT.NOTHING_NEW;
  },
};
