// The discussion's part of the OpenAPI document: comments, votes and reports on them, notifications.

import { errors, jsonResponse as json, ref, secured, type Json } from './openapi-parts.ts';
const body = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
const paperId: Json = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Paper id, e.g. 2503.11677',
};
const commentId: Json = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer' },
  description: 'Comment id',
};
const NEW_COMMENT: Json = {
  type: 'object',
  required: ['body'],
  properties: {
    body: { type: 'string', maxLength: 10000, description: 'Markdown; $…$ and $$…$$ are math' },
    parentId: { type: ['integer', 'null'], description: 'The comment this one replies to (same paper)' },
  },
};

/** Paths of the discussion API. */
export function discussionPaths(): Json {
  return {
    '/api/papers/{id}/comments': {
      get: {
        summary:
          'A paper’s comments in thread order (replies follow their parent; deleted ones with replies stay as placeholders)',
        parameters: [
          paperId,
          {
            name: 'order',
            in: 'query',
            required: false,
            schema: { enum: ['oldest', 'newest'] },
            description: 'Top-level order',
          },
        ],
        responses: {
          ...json({ type: 'object', properties: { comments: { type: 'array', items: ref('Comment') } } }),
          ...errors(400, 404),
        },
      },
      post: {
        summary:
          'Post a comment or reply (400: empty, over 10,000 characters, unknown parent, parent on another paper, links from new accounts; 429: over 10 per 10 minutes or 100 a day)',
        security: secured,
        parameters: [paperId],
        requestBody: body(NEW_COMMENT),
        responses: { ...json(ref('Comment'), '201', 'Created'), ...errors(400, 401, 403, 404, 429) },
      },
    },
    '/api/comments/preview': {
      post: {
        summary: 'The HTML a comment body renders to',
        security: secured,
        requestBody: body({ type: 'object', required: ['body'], properties: { body: { type: 'string' } } }),
        responses: {
          ...json({ type: 'object', properties: { html: { type: 'string' } } }),
          ...errors(400, 401),
        },
      },
    },
    '/api/comments/{id}': {
      get: {
        summary: 'One comment',
        parameters: [commentId],
        responses: { ...json(ref('Comment')), ...errors(404) },
      },
      patch: {
        summary: 'Edit your own comment (marked edited)',
        security: secured,
        parameters: [commentId],
        requestBody: body({ type: 'object', required: ['body'], properties: { body: { type: 'string' } } }),
        responses: { ...json(ref('Comment')), ...errors(400, 401, 403, 404) },
      },
      delete: {
        summary: 'Delete your own comment (with replies it stays as "deleted")',
        security: secured,
        parameters: [commentId],
        responses: { ...json({ type: 'object' }), ...errors(401, 403, 404) },
      },
    },
    '/api/comments/{id}/vote': {
      put: {
        summary: 'Upvote a comment (once per reader)',
        security: secured,
        parameters: [commentId],
        responses: { ...json(ref('CommentVote')), ...errors(401, 403, 404) },
      },
      delete: {
        summary: 'Remove your upvote',
        security: secured,
        parameters: [commentId],
        responses: { ...json(ref('CommentVote')), ...errors(401, 403, 404) },
      },
    },
    '/api/comments/{id}/report': {
      post: {
        summary: 'Report a comment to the admins',
        security: secured,
        parameters: [commentId],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 } } },
            },
          },
        },
        responses: { ...json({ type: 'object' }, '202', 'Reported'), ...errors(400, 401, 404) },
      },
    },
    '/api/notifications': {
      get: {
        summary: 'Replies to your comments and comments on papers in your library, newest first',
        security: secured,
        responses: {
          ...json({
            type: 'object',
            properties: {
              unread: { type: 'integer' },
              notifications: { type: 'array', items: ref('Notification') },
            },
          }),
          ...errors(401),
        },
      },
    },
    '/api/notifications/read': {
      post: {
        summary: 'Mark every notification read',
        security: secured,
        responses: { ...json({ type: 'object' }), ...errors(401) },
      },
    },
  };
}

/** Component schemas of the discussion API. */
export const DISCUSSION_SCHEMAS: Json = {
  Comment: {
    type: 'object',
    required: ['id', 'parentId', 'author', 'body', 'html', 'createdAt', 'editedAt', 'votes', 'deleted'],
    properties: {
      id: { type: 'integer' },
      paperId: { type: 'string' },
      parentId: { type: ['integer', 'null'] },
      author: {
        type: ['object', 'null'],
        description: 'Null for a deleted comment',
        properties: { handle: { type: ['string', 'null'] }, name: { type: 'string' } },
      },
      body: { type: 'string', description: 'Markdown source ("" when deleted)' },
      html: { type: 'string', description: 'Rendered, safe HTML' },
      createdAt: { type: 'string' },
      editedAt: { type: ['string', 'null'] },
      votes: { type: 'integer' },
      deleted: { type: 'boolean' },
      hidden: {
        type: 'boolean',
        description: 'Present (true) only for admins and the author of a hidden comment',
      },
    },
  },
  CommentVote: {
    type: 'object',
    properties: { id: { type: 'integer' }, votes: { type: 'integer' }, voted: { type: 'boolean' } },
  },
  Notification: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      kind: { enum: ['reply', 'library'] },
      commentId: { type: 'integer' },
      paperId: { type: 'string' },
      paperTitle: { type: 'string' },
      authorName: { type: 'string' },
      body: { type: 'string' },
      createdAt: { type: 'string' },
      readAt: { type: ['string', 'null'] },
    },
  },
};
