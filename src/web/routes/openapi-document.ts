// The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.
import { OPENAPI_SCHEMAS } from './openapi-schemas.ts';
import { COLLECTION_SCHEMAS, collectionPaths } from './openapi-collections.ts';
import { DISCUSSION_SCHEMAS, discussionPaths } from './openapi-discussion.ts';

import { errors, ref, secured, type Json } from './openapi-parts.ts';

const query = (name: string, schema: Json, description: string): Json => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
const pathId: Json = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Paper id, e.g. 2503.11677 (arXiv ids may contain "/")',
};
const limit = query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Items per page');
const offset = query('offset', { type: 'integer', minimum: 0, maximum: 10000, default: 0 }, 'Items to skip');
const ok = (schema: Json, description = 'OK'): Json => ({
  '200': { description, content: { 'application/json': { schema } } },
});

function paperPaths(): Json {
  const vote = (summary: string): Json => ({
    summary,
    security: secured,
    parameters: [pathId],
    responses: { ...ok(ref('Vote')), ...errors(401, 404) },
  });
  return {
    '/api/papers': {
      get: {
        summary: 'Papers of a day, week or month (with period/date/sort/category), else the newest',
        parameters: [
          query('period', { enum: ['day', 'week', 'month'] }, 'Window size (default day)'),
          query(
            'date',
            { type: 'string' },
            'Window: 2026-07-01, 2026-W27 or 2026-07; default the latest with papers',
          ),
          query(
            'sort',
            { enum: ['trending', 'newest', 'votes', 'discussed', 'stars'] },
            'Order (default trending; discussed: most comments first; stars: most GitHub stars gained in the last 7 days)',
          ),
          query('category', { type: 'string' }, 'arXiv category such as cs.CL'),
          query('has', { enum: ['code', 'data', 'model'] }, 'Only papers with such a link ("with code")'),
          limit,
          offset,
        ],
        responses: { ...ok(ref('PaperList')), ...errors(400) },
      },
    },
    '/api/trending': {
      get: {
        summary: 'Trending papers: community upvotes with time decay over a day, week or month',
        parameters: [
          query('period', { enum: ['day', 'week', 'month'] }, 'Window size (default day)'),
          query('date', { type: 'string' }, 'Window: 2026-07-01, 2026-W27 or 2026-07; default the latest'),
          query('category', { type: 'string' }, 'arXiv category such as cs.CL'),
          limit,
          offset,
        ],
        responses: { ...ok(ref('PaperList')), ...errors(400) },
      },
    },
    '/api/papers/{id}': {
      get: {
        summary: 'One paper with its vote count',
        parameters: [pathId],
        responses: { ...ok(ref('Paper')), ...errors(404) },
      },
    },
    '/api/papers/{id}/vote': {
      put: vote('Upvote'),
      delete: vote('Remove the upvote'),
      post: vote('Toggle the upvote'),
    },
  };
}

function libraryPaths(): Json {
  return {
    '/api/me': {
      get: { summary: 'The caller', security: secured, responses: { ...ok(ref('User')), ...errors(401) } },
    },
    '/api/library': {
      get: {
        summary: 'Saved papers',
        security: secured,
        parameters: [query('tag', { type: 'string' }, 'Only this tag'), limit, offset],
        responses: { ...ok({ type: 'object' }), ...errors(400, 401) },
      },
    },
    '/api/library/export': {
      get: {
        summary: 'Library as BibTeX or CSL-JSON',
        security: secured,
        parameters: [
          query('format', { enum: ['bibtex', 'csl-json'] }, 'Format'),
          query('tag', { type: 'string' }, 'Only this tag'),
        ],
        responses: { '200': { description: 'The export' }, ...errors(401) },
      },
    },
    '/api/library/{id}': {
      put: {
        summary: 'Save a paper (or replace its tags)',
        security: secured,
        parameters: [pathId],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { tags: { type: 'array', items: { type: 'string' }, maxItems: 20 } },
              },
            },
          },
        },
        responses: { ...ok(ref('LibraryEntry')), ...errors(400, 401, 404) },
      },
      delete: {
        summary: 'Remove a paper from the library',
        security: secured,
        parameters: [pathId],
        responses: { '204': { description: 'Removed' }, ...errors(401, 404) },
      },
    },
  };
}

function accountPaths(): Json {
  return {
    '/api/tokens': {
      get: {
        summary: 'Your API tokens',
        security: secured,
        responses: {
          ...ok({ type: 'object', properties: { tokens: { type: 'array', items: ref('Token') } } }),
          ...errors(401),
        },
      },
      post: {
        summary: 'Create a token (shown once)',
        description:
          'Needs a signed-in browser session and its X-CSRF-Token header; a bearer token cannot create tokens (403).',
        security: [{ session: [] }],
        requestBody: {
          content: {
            'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
        responses: {
          '201': { description: 'Created; `token` holds the secret' },
          ...errors(400, 401, 403, 409),
        },
      },
    },
    '/api/tokens/{tokenId}': {
      delete: {
        summary: 'Revoke a token',
        security: secured,
        parameters: [{ name: 'tokenId', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { '204': { description: 'Revoked' }, ...errors(401, 404) },
      },
    },
    '/api/submit': {
      post: {
        summary: 'Fetch a paper from arXiv by id or link and store it',
        security: secured,
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
            },
          },
        },
        responses: { '201': { description: 'The stored paper' }, ...errors(400, 401, 404, 429, 502) },
      },
    },
  };
}

function searchPaths(): Json {
  return {
    '/api/search': {
      get: {
        summary: 'Search papers (words, "phrases", -exclusions, author:, cat:)',
        parameters: [
          query(
            'q',
            { type: 'string', maxLength: 20000 },
            'Query (a pasted text up to 20,000 characters too)',
          ),
          query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Results per page'),
          query('k', { type: 'integer', minimum: 1, maximum: 100 }, 'Older name of limit'),
          offset,
          query('sort', { enum: ['relevance', 'newest'] }, 'Order'),
          query('category', { type: 'string' }, 'Category'),
          query('since', { type: 'string' }, 'First day'),
          query('before', { type: 'string' }, 'Day after the last'),
          query('mode', { enum: ['hybrid', 'lexical', 'semantic'] }, 'Retrieval'),
          query('correct', { enum: ['on', 'off'] }, 'off: never answer a spelling correction instead'),
          query(
            'relax',
            { enum: ['on', 'off'] },
            'off: keep a phrase or exclusion that leaves (almost) nothing, as trends count',
          ),
        ],
        responses: { ...ok({ type: 'object' }), ...errors(400, 413) },
      },
    },
    '/api/suggest': {
      get: {
        summary: 'Suggestions as you type: titles, authors, categories and topics',
        parameters: [query('q', { type: 'string' }, 'What was typed so far (an empty one gets none)')],
        responses: { ...ok({ type: 'object' }) },
      },
    },
    '/api/papers/{id}/similar': {
      get: {
        summary: 'Papers similar to one',
        parameters: [pathId, query('k', { type: 'integer', minimum: 1, maximum: 100 }, 'Results')],
        responses: { ...ok({ type: 'object' }), ...errors(404) },
      },
    },
  };
}

function forYouPaths(): Json {
  const obj: Json = { type: 'object' };
  const body = (props: Json, required: string[]): Json => ({
    required: true,
    content: { 'application/json': { schema: { type: 'object', properties: props, required } } },
  });
  const followBody = body({ kind: { enum: ['author', 'category', 'topic'] }, name: { type: 'string' } }, [
    'kind',
    'name',
  ]);
  const markBody = body({ kind: { enum: ['paper', 'author'] }, ref: { type: 'string' } }, ['kind', 'ref']);
  const call = (summary: string, extra: Json = {}, codes = [400, 401]): Json => ({
    summary,
    security: secured,
    ...extra,
    responses: { ...ok(obj), ...errors(...codes) },
  });
  return {
    '/api/foryou': {
      get: call('New papers ranked for the reader, each with a one-line reason', {
        parameters: [
          query(
            'days',
            { type: 'integer', minimum: 1, maximum: 30 },
            'Window in days (default: since the last visit)',
          ),
          query(
            'since',
            { type: 'string' },
            'First day of the window, e.g. 2026-07-01; "latest": the newest week the store has; "all"',
          ),
          query('tag', { type: 'string' }, 'Rank for one library tag'),
          limit,
          offset,
        ],
      }),
    },
    '/api/follows': {
      get: call('Followed authors, categories and topics', {}, [401]),
      post: call('Follow an author, a category or a topic (name: the topic id)', {
        requestBody: followBody,
      }),
      delete: call('Unfollow an author, a category or a topic', { requestBody: followBody }, [400, 401, 404]),
    },
    '/api/not-interested': {
      get: call('Papers and authors marked not interested', {}, [401]),
      post: call("Never show a paper, or an author's papers, again", { requestBody: markBody }),
      delete: call('Undo a not-interested mark', { requestBody: markBody }, [400, 401, 404]),
    },
    '/api/saved-searches': {
      get: call('Saved searches (alerts)', {}, [401]),
      post: call('Save a search; it must contain at least one positive term', {
        requestBody: body({ query: { type: 'string' } }, ['query']),
      }),
    },
    '/api/saved-searches/{id}': {
      delete: call(
        'Delete a saved search',
        {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        },
        [401, 404],
      ),
    },
    '/api/seen': {
      post: call('Mark papers as seen', {
        requestBody: body({ ids: { type: 'array', items: { type: 'string' } } }, ['ids']),
      }),
    },
    '/api/library/feed-keys/rotate': {
      post: {
        summary: 'Give every tag feed of the library a new key; the old feed links stop working',
        security: secured,
        responses: { '204': { description: 'Rotated' }, ...errors(401, 403) },
      },
    },
    '/api/library/import': {
      post: call(
        'Import a library (BibTeX, CSL-JSON or arXiv ids, as the raw body); matched papers are saved',
        {
          parameters: [
            query('format', { enum: ['auto', 'bibtex', 'csl-json', 'ids'] }, 'Format (default: detected)'),
            query('tag', { type: 'string' }, 'Tag for the saved papers'),
          ],
          requestBody: { required: true, content: { 'text/plain': { schema: { type: 'string' } } } },
        },
        [400, 401, 413],
      ),
    },
  };
}

/** Topics, trends, the map and the related-papers graph (pictures issue). */
function picturePaths(): Json {
  const obj: Json = { type: 'object' };
  const topicId: Json = {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'integer', minimum: 1 },
    description: 'Topic id',
  };
  const topic: Json = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      label: { type: 'string', description: 'Its most distinctive terms' },
      size: { type: 'integer', description: 'Papers in the topic' },
      terms: {
        type: 'array',
        items: { type: 'object', properties: { term: { type: 'string' }, weight: { type: 'number' } } },
      },
      central: { type: 'array', items: { type: 'string' }, description: 'Ids of its most central papers' },
      x: { type: 'number' },
      y: { type: 'number' },
      area: { type: ['integer', 'null'], description: 'Its broad area (the upper level of the hierarchy)' },
    },
  };
  const area: Json = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      label: { type: 'string', description: 'The terms its topics share most' },
      size: { type: 'integer', description: 'Papers in its topics' },
      topics: { type: 'array', items: { type: 'integer' }, description: 'Its topic ids, largest first' },
    },
  };
  return {
    '/api/topics': {
      get: {
        summary:
          'Topics of the stored papers (clusters of their vectors), named by their most distinctive terms, and the broad areas they group into (empty below 8 topics)',
        responses: ok({
          type: 'object',
          properties: { topics: { type: 'array', items: topic }, areas: { type: 'array', items: area } },
        }),
      },
    },
    '/api/topics/{id}': {
      get: {
        summary: 'One topic: papers per week, related topics and top papers (by upvotes, then centrality)',
        parameters: [topicId],
        responses: { ...ok(obj), ...errors(404) },
      },
    },
    '/api/trends': {
      get: {
        summary: 'Papers per week or month matching up to four searches, over the whole store',
        description:
          'Each q is a search (words, "phrases", cat:, author:, since:, before:) or topic:<id>. A count is the number of papers the word search (mode=lexical) lists for that week or month. format=csv gives CSV.',
        parameters: [
          {
            ...query(
              'q',
              { type: 'array', items: { type: 'string' }, maxItems: 4 },
              'A search; repeat for up to four series',
            ),
            style: 'form',
            explode: true,
          },
          query('interval', { enum: ['week', 'month'], default: 'week' }, 'Bucket size'),
          query('format', { enum: ['json', 'csv'], default: 'json' }, 'Answer format'),
        ],
        responses: {
          ...ok({
            type: 'object',
            properties: {
              series: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    q: { type: 'string' },
                    points: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { start: { type: 'string', format: 'date' }, count: { type: 'integer' } },
                      },
                    },
                  },
                },
              },
            },
          }),
          ...errors(400),
        },
      },
    },
    '/api/papers/{id}/graph': {
      get: {
        summary: "A paper's related-papers graph: its nearest neighbours and theirs, laid out in [0, 1]²",
        description:
          'nodes: [{id, title, year, votes, ring (0 the paper, 1 its neighbours, 2 theirs), x, y}]; edges: [{source, target, weight}] with indexes into nodes and similarity weights in [0, 1].',
        parameters: [pathId],
        responses: { ...ok(obj), ...errors(404) },
      },
    },
    '/api/map': {
      get: {
        summary: "Every paper's place on the map, as one compact binary payload",
        description:
          'application/octet-stream, little-endian: "PBM1", uint32 n, then n uint16 x, n uint16 y (0-65535 across the map), n uint16 topic ids, then the n paper ids as UTF-8 joined by newlines. Topic names come from /api/topics.',
        responses: {
          '200': {
            description: 'The points',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
  };
}

/**
 * The OpenAPI document; search paths are listed when the search service is part of this build.
 * @example openApiDocument({ baseUrl: 'http://127.0.0.1:8080' }).openapi // '3.1.0'
 */
export function openApiDocument(o: { baseUrl: string }): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paperboy API',
      version: '1',
      description:
        'Papers, votes, library and tokens. Errors are {"error":{"code","message"}}. Lists take limit (1-100) and offset (0-10000).',
    },
    servers: [{ url: o.baseUrl }],
    paths: {
      ...paperPaths(),
      ...libraryPaths(),
      ...accountPaths(),
      ...forYouPaths(),
      ...searchPaths(),
      ...picturePaths(),
      ...collectionPaths(),
      ...discussionPaths(),
    },
    components: {
      schemas: { ...OPENAPI_SCHEMAS, ...COLLECTION_SCHEMAS, ...DISCUSSION_SCHEMAS },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token (Settings → API tokens)',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pb_session',
          description: 'Browser session; unsafe methods also need the X-CSRF-Token header',
        },
      },
    },
  };
}
