import type { Migration } from './types.ts';

/**
 * The personal-data vault (issue 6). Reporters' names, phone numbers and ID numbers are never
 * stored in `events` (which holds masks and a salted hash only). Where a source system delivers
 * them, they are sealed here (base64 of iv | tag | ciphertext) with AES-256-GCM under the deployment's key (CITYOPS_PII_KEY), one
 * row per event, and opened only for roles that hold the personal-data permission — every
 * opening is audited. `key_id` names the key so keys can be rotated.
 */
export const piiVaultMigration: Migration = {
  version: 7,
  name: 'pii-vault',
  async up(db) {
    await db.run(`CREATE TABLE "event_contacts" (
      "event_id" BIGINT PRIMARY KEY,
      "key_id" VARCHAR NOT NULL,
      "sealed" VARCHAR NOT NULL,
      "stored_at" TIMESTAMP NOT NULL
    )`);
  },
  tables: { event_contacts: ['event_id', 'key_id', 'sealed', 'stored_at'] },
};
