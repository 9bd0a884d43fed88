import { z } from 'zod';
import { DEFAULT_HEADERS, IDEMPOTENCY_KEY_PATTERN, MAX_PUSH_BATCH, pushBodySchema } from '@cityops/db/import/index';

const hotlineHeaders = DEFAULT_HEADERS.hotline;
const fieldTable = Object.entries({ ...DEFAULT_HEADERS.petition, ...DEFAULT_HEADERS.police, ...hotlineHeaders })
  .map(([field, names]) => `| \`${field}\` | ${names![0]} |`)
  .join('\n');

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: '中文/English message' } },
};

/**
 * The push API's OpenAPI 3.1 document (served at /api/openapi.json). The request schema is
 * generated from the same zod schema the server validates with, so the two cannot drift.
 */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'CityOps 事件推送接口 / event push API',
    version: '1.0.0',
    description:
      `Department systems (12345 网络理政, 110 接警, 信访) push cases as JSON. Each system has its own bearer token, ` +
      `which also fixes the source of its events. Every request carries an Idempotency-Key: the same key with the same ` +
      `body returns the stored response (header Idempotent-Replayed: true) without inserting again; the same key with a ` +
      `different body is 409. Cases are keyed by (source, externalId): pushing a case again with a new state updates it ` +
      `and appends to its history; an older state than the stored one is accepted but not applied ("stale"). ` +
      `A batch holds at most ${MAX_PUSH_BATCH} events and is all-or-nothing: if any item is invalid the answer is 422 ` +
      `listing every invalid item (index, field, reason) and nothing is written. Accepted events reach the dashboards' ` +
      `rollups within about a second.\n\nFields (same as the spreadsheet import; Chinese labels or codes accepted):\n\n` +
      `| field | spreadsheet header |\n|---|---|\n${fieldTable}\n\nTimes are Asia/Shanghai wall clock ` +
      `("2026-10-15 09:30:00") or ISO 8601 with an offset. Raw phone and ID numbers are hashed and masked, never stored.`,
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Per-system token issued by the platform operator' } },
    schemas: {
      PushBody: z.toJSONSchema(pushBodySchema, { io: 'input', target: 'draft-2020-12' }),
      Error: errorSchema,
      ItemError: {
        type: 'object',
        required: ['index', 'field', 'reason'],
        properties: { index: { type: 'integer' }, externalId: { type: ['string', 'null'] }, field: { type: 'string' }, reason: { type: 'string' } },
      },
      PushResult: {
        type: 'object',
        required: ['importRunId', 'received', 'inserted', 'updated', 'unchanged', 'stale', 'results'],
        properties: {
          importRunId: { type: 'integer', description: 'The import run (one write transaction) that stored this request; requests queued together share one run, each answer still carries its own counts and results.' },
          received: { type: 'integer' },
          inserted: { type: 'integer' },
          updated: { type: 'integer' },
          unchanged: { type: 'integer' },
          stale: { type: 'integer' },
          results: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                index: { type: 'integer' },
                externalId: { type: 'string' },
                outcome: { enum: ['inserted', 'updated', 'unchanged', 'stale'] },
                eventId: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/api/push/events': {
      post: {
        operationId: 'pushEvents',
        summary: '推送一批事件 / push a batch of events',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'Unique per logical request (e.g. a UUID); retry with the same key after a timeout.',
            schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
          },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PushBody' } } } },
        responses: {
          '200': { description: 'All events accepted', content: { 'application/json': { schema: { $ref: '#/components/schemas/PushResult' } } } },
          '400': { description: 'Missing Idempotency-Key, malformed JSON or body shape', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          '401': { description: 'Missing or unknown bearer token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          '409': { description: 'Idempotency-Key already used with a different body', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          '413': { description: `More than ${MAX_PUSH_BATCH} events, or body over 8 MB`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          '422': {
            description: 'Some items invalid; nothing written',
            content: {
              'application/json': {
                schema: { allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { errors: { type: 'array', items: { $ref: '#/components/schemas/ItemError' } } } }] },
              },
            },
          },
        },
      },
    },
    '/api/push/limits': {
      get: {
        operationId: 'pushLimits',
        summary: 'Batch and body limits',
        security: [],
        responses: { '200': { description: 'Limits', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
} as const;
