// Component schemas of the OpenAPI document: papers, votes, library entries, tokens, users and errors.

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** The component schemas every operation refers to. */
export const OPENAPI_SCHEMAS: Json = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          details: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
  Paper: {
    type: 'object',
    required: ['id', 'title', 'abstract', 'authors', 'categories'],
    properties: {
      id: { type: 'string' },
      arxivId: { type: ['string', 'null'] },
      version: { type: ['integer', 'null'] },
      doi: { type: ['string', 'null'] },
      title: { type: 'string' },
      abstract: { type: 'string' },
      authors: { type: 'array', items: { type: 'string' } },
      categories: { type: 'array', items: { type: 'string' } },
      published: { type: ['string', 'null'] },
      updated: { type: ['string', 'null'] },
      announced: { type: ['string', 'null'] },
      comment: { type: ['string', 'null'] },
      journalRef: { type: ['string', 'null'] },
      submittedBy: {
        type: ['object', 'null'],
        description: 'The reader who submitted it, when they have a handle (one-paper answer)',
        properties: { handle: { type: 'string' }, name: { type: 'string' } },
      },
      license: { type: ['string', 'null'] },
      absUrl: { type: ['string', 'null'] },
      pdfUrl: { type: ['string', 'null'] },
      links: {
        type: 'array',
        description: 'Links found in the abstract, comment and journal reference, code first',
        items: {
          type: 'object',
          required: ['kind', 'url', 'label'],
          properties: {
            kind: { type: 'string', enum: ['code', 'model', 'data', 'project', 'video', 'other'] },
            url: { type: 'string', description: 'http or https only' },
            label: { type: 'string', description: 'e.g. "org/repo" for a repository' },
            stars: { type: 'integer', description: 'GitHub stars at the last check (GITHUB_ENRICH)' },
            archived: { type: 'boolean', description: 'The GitHub repository is archived' },
          },
        },
      },
      summary: {
        type: ['object', 'null'],
        description:
          "One- or two-sentence TL;DR: a language model's (SUMMARIZER=http) or the abstract's most central sentence(s)",
        properties: {
          text: { type: 'string' },
          kind: { type: 'string', enum: ['extractive', 'abstractive'] },
          model: { type: 'string', description: 'Method and version ("centroid-v1") or the language model' },
        },
      },
      votes: { type: 'integer' },
      comments: { type: 'integer', description: 'Visible comments in its discussion' },
      voted: { type: 'boolean', description: 'Only for a signed-in caller' },
      saved: { type: 'boolean' },
    },
  },
  PaperList: {
    type: 'object',
    properties: {
      papers: { type: 'array', items: ref('Paper') },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
      prev: { type: ['string', 'null'] },
      next: { type: ['string', 'null'] },
    },
  },
  Vote: {
    type: 'object',
    properties: { paperId: { type: 'string' }, voted: { type: 'boolean' }, count: { type: 'integer' } },
  },
  LibraryEntry: {
    type: 'object',
    properties: {
      paperId: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      savedAt: { type: 'string' },
    },
  },
  Token: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      prefix: { type: 'string' },
      createdAt: { type: 'string' },
      lastUsedAt: { type: ['string', 'null'] },
    },
  },
  User: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      email: { type: 'string' },
      name: { type: 'string' },
      createdAt: { type: 'string' },
    },
  },
};
