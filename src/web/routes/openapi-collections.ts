// The OpenAPI paths and schemas of collections and profiles (community issue), merged into /api/openapi.json.

import { errors, jsonResponse as ok, ref, secured, type Json } from './openapi-parts.ts';
const body = (properties: Json, required: string[] = []): Json => ({
  content: { 'application/json': { schema: { type: 'object', required, properties } } },
});
const slug: Json = {
  name: 'slug',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
  description: 'The collection’s stable slug (from POST /api/collections)',
};
const paperId: Json = {
  name: 'paperId',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Paper id or arXiv id/URL (percent-encoded)',
};
const handle: Json = {
  name: 'handle',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{1,29}$' },
};
const fields = {
  title: { type: 'string', minLength: 1, maxLength: 120 },
  description: { type: 'string', maxLength: 2000 },
  public: { type: 'boolean', default: false },
};
const PRIVATE_NOTE = ' Another reader’s private collection answers 404, as if it did not exist.';

/** Component schemas for collections and profiles. */
export const COLLECTION_SCHEMAS: Json = {
  Owner: {
    type: 'object',
    properties: { handle: { type: ['string', 'null'] }, name: { type: 'string' } },
  },
  CollectionSummary: {
    type: 'object',
    required: ['slug', 'title', 'description', 'public'],
    properties: {
      slug: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      public: { type: 'boolean' },
      papers: { type: 'integer', description: 'How many papers it holds' },
      votes: { type: 'integer' },
      createdAt: { type: 'string' },
      updatedAt: { type: 'string' },
      owner: ref('Owner'),
    },
  },
  Collection: {
    type: 'object',
    required: ['slug', 'title', 'description', 'owner', 'public', 'papers'],
    properties: {
      slug: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      owner: ref('Owner'),
      public: { type: 'boolean' },
      votes: { type: 'integer' },
      mine: { type: 'boolean', description: 'The caller owns it' },
      voted: { type: 'boolean', description: 'The caller upvoted it' },
      papers: {
        type: 'array',
        description: 'In the owner’s order',
        items: {
          allOf: [
            ref('Paper'),
            {
              type: 'object',
              properties: {
                note: { type: 'string' },
                position: { type: 'integer' },
                addedAt: { type: 'string' },
              },
            },
          ],
        },
      },
    },
  },
  Profile: {
    type: 'object',
    properties: { handle: { type: ['string', 'null'] }, showUpvotes: { type: 'boolean' } },
  },
};

/** Paths for collections, the caller's profile and public profiles. */
export function collectionPaths(): Json {
  return {
    '/api/collections': {
      get: {
        summary: 'Public collections with papers, popular (by upvotes) or recent',
        parameters: [
          { name: 'sort', in: 'query', schema: { enum: ['popular', 'recent'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 10000 } },
        ],
        responses: { ...ok({ type: 'object' }), ...errors(400) },
      },
      post: {
        summary: 'Make a collection; the answer holds its stable "slug"',
        security: secured,
        requestBody: body(fields, ['title']),
        responses: { ...ok(ref('CollectionSummary'), '201', 'Created'), ...errors(400, 401) },
      },
    },
    '/api/me/collections': {
      get: {
        summary: 'The caller’s collections, public and private',
        security: secured,
        responses: { ...ok({ type: 'object' }), ...errors(401) },
      },
    },
    '/api/collections/{slug}': {
      get: {
        summary: `A collection with its papers and notes.${PRIVATE_NOTE}`,
        parameters: [slug],
        responses: { ...ok(ref('Collection')), ...errors(404) },
      },
      patch: {
        summary: `Change title, description or visibility (owner only; others get 403).${PRIVATE_NOTE}`,
        security: secured,
        parameters: [slug],
        requestBody: body(fields),
        responses: { ...ok(ref('Collection')), ...errors(400, 401, 403, 404) },
      },
      delete: {
        summary: 'Delete a collection (owner only)',
        security: secured,
        parameters: [slug],
        responses: { '204': { description: 'Deleted' }, ...errors(401, 403, 404) },
      },
    },
    '/api/collections/{slug}/papers/{paperId}': {
      put: {
        summary: 'Add a paper at the end (201), or change its note (200); no body keeps the note',
        security: secured,
        parameters: [slug, paperId],
        requestBody: { required: false, ...body({ note: { type: 'string', maxLength: 1000 } }) },
        responses: {
          ...ok({ type: 'object' }, '201', 'Added'),
          ...ok({ type: 'object' }, '200', 'Note changed'),
          ...errors(400, 401, 403, 404),
        },
      },
      delete: {
        summary: 'Remove a paper from the collection',
        security: secured,
        parameters: [slug, paperId],
        responses: { '204': { description: 'Removed' }, ...errors(401, 403, 404) },
      },
    },
    '/api/collections/{slug}/order': {
      put: {
        summary: 'Reorder: list every paper of the collection exactly once, in the new order',
        security: secured,
        parameters: [slug],
        requestBody: body({ papers: { type: 'array', items: { type: 'string' } } }, ['papers']),
        responses: { ...ok(ref('Collection')), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/collections/{slug}/vote': {
      put: {
        summary: 'Upvote another reader’s public collection (once per reader)',
        security: secured,
        parameters: [slug],
        responses: { ...ok({ type: 'object' }), ...errors(400, 401, 404) },
      },
      delete: {
        summary: 'Take the upvote back',
        security: secured,
        parameters: [slug],
        responses: { ...ok({ type: 'object' }), ...errors(400, 401, 404) },
      },
    },
    '/api/me/profile': {
      get: { summary: 'The caller’s handle and settings', security: secured, responses: ok(ref('Profile')) },
      put: {
        summary: 'Choose or change the handle; show or hide upvotes on the profile',
        security: secured,
        requestBody: body({ handle: handle.schema, showUpvotes: { type: 'boolean' } }),
        responses: { ...ok(ref('Profile')), ...errors(400, 401, 409) },
      },
    },
    '/api/users/{handle}': {
      get: {
        summary: 'A reader’s public profile: public collections, submissions, upvotes if shown',
        parameters: [handle],
        responses: { ...ok({ type: 'object' }), ...errors(404) },
      },
    },
  };
}
