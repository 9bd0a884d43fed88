import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { DomainError } from '@cityops/domain';
import type { Database } from './database.ts';

/** A reporter's personal data as the source system delivered it. */
export interface ContactDetails {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

/** The demo's vault secret; real deployments set CITYOPS_PII_KEY (≥ 32 characters). */
export const DEMO_PII_KEY_SECRET = 'cityops-demo-pii-key-not-for-production';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals and opens personal data with AES-256-GCM (authenticated: a tampered or foreign row
 * fails to open instead of yielding garbage). The key is derived from the deployment secret
 * with HKDF; `keyId` (a short digest of the key) is stored with each row so rotated keys can be
 * told apart. Pure crypto, no I/O: the table access is below.
 */
export class PiiVault {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new DomainError('BAD_INPUT', 'CITYOPS_PII_KEY 至少 32 个字符 / must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'cityops', 'pii-vault-v1', 32));
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  seal(contact: ContactDetails): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify([contact.name, contact.phone, contact.idNumber]), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, keyId: string): ContactDetails {
    if (keyId !== this.keyId) throw new DomainError('INTERNAL', `个人信息密钥不匹配（${keyId}），请检查 CITYOPS_PII_KEY`);
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    const [name, phone, idNumber] = JSON.parse(plain) as [string | null, string | null, string | null];
    return { name, phone, idNumber };
  }
}

export function demoPiiVault(): PiiVault {
  return new PiiVault(DEMO_PII_KEY_SECRET);
}

/** Seals and stores (or replaces) the contacts of events; rows without any personal data are skipped. */
export async function storeContacts(db: Database, vault: PiiVault, rows: readonly { eventId: number; contact: ContactDetails }[]): Promise<number> {
  const kept = rows.filter(({ contact }) => contact.name || contact.phone || contact.idNumber);
  if (kept.length === 0) return 0;
  await db.transaction(async (tx) => {
    await tx.run(`CREATE TEMP TABLE IF NOT EXISTS "contacts_in" ("event_id" BIGINT, "key_id" VARCHAR, "sealed" VARCHAR)`);
    await tx.run(`DELETE FROM "contacts_in"`);
    await tx.appendRows('contacts_in', ['bigint', 'varchar', 'varchar'], kept.map(({ eventId, contact }) => [eventId, vault.keyId, vault.seal(contact)]));
    await tx.run(
      `INSERT OR REPLACE INTO "event_contacts" SELECT "event_id", "key_id", "sealed", now()::TIMESTAMP FROM "contacts_in"`,
    );
    await tx.run(`DROP TABLE "contacts_in"`);
  });
  return kept.length;
}

/** The stored contact of one event, opened; null when the source delivered none. */
export async function readContact(db: Database, vault: PiiVault, eventId: number): Promise<ContactDetails | null> {
  const [row] = await db.all<{ key_id: string; sealed: string }>(
    `SELECT "key_id", "sealed" FROM "event_contacts" WHERE "event_id" = $id`,
    { id: eventId },
  );
  return row ? vault.open(row.sealed, row.key_id) : null;
}
