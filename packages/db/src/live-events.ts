import { createRandom, maskIdNumber, maskName, maskPhone, type Random } from '@cityops/domain';
import { listValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { STORED_EVENT_COLUMN_LIST, textKeyConversion } from './migrations/0015-compact-event-keys.ts';
import { DEMO_PII_SALT, hashPersonalId } from './pii-hash.ts';
import { storeContacts, type ContactDetails, type PiiVault } from './pii-vault.ts';

export interface SimulatedEvent {
  id: number;
  source: string;
  item: string;
  urgency: string;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  gridCode: string;
  lng: number;
  lat: number;
  receivedAt: string;
  summary: string;
}

/**
 * The demo's live feed: `count` new events received at `at` (Asia/Shanghai wall clock), each a
 * fresh case modelled on a randomly sampled historical one — so the mix of sources, items and
 * places stays the city's — with new ids, new external ids and an open status.
 * The caller refreshes the rollups afterwards.
 */
export async function insertSimulatedEvents(
  db: Database,
  opts: { count: number; at: string; vault?: PiiVault | undefined; salt?: string | undefined },
): Promise<SimulatedEvent[]> {
  // DuckDB's SAMPLE clause takes constants only: the count is validated to an integer here.
  const count = Math.trunc(opts.count);
  if (!(count >= 1 && count <= 10_000)) throw new RangeError(`count must be 1–10000: ${opts.count}`);
  return db.transaction(async (tx) => {
    const events = await tx.all<SimulatedEvent>(
      `INSERT INTO "events" (${STORED_EVENT_COLUMN_LIST})
       SELECT (SELECT coalesce(max("id"), 0) FROM "events") + row_number() OVER () AS "id",
              "source", 'SIM-' || strftime($at::TIMESTAMP, '%Y%m%d%H%M%S') || '-' || row_number() OVER () AS "external_id",
              $at::TIMESTAMP AS "received_at", "channel", "nature", "category", "sub_category", "summary",
              "lng", "lat", "location_approximate",
              "grid_code", "urgency",
              "reporter_name_masked", "reporter_phone_masked", "reporter_id_masked",
              'received' AS "status", NULL AS "dispatched_at", NULL AS "first_response_at", NULL AS "due_at", NULL AS "closed_at",
              NULL AS "handling_unit", NULL AS "handling_dept", NULL AS "return_visit",
              "police_is_police_matter", "police_incident_type", "police_transferred_to_hotline",
              "petition_form", "petition_is_repeat", "petition_group_size", "hotline_nature",
              $at::TIMESTAMP AS "ingested_at", $at::TIMESTAMP AS "updated_at",
              "h3r8_cell", "h3r9_cell", "reporter_key"
       FROM (SELECT * FROM "events" USING SAMPLE reservoir(${count} ROWS))
       RETURNING "id"::DOUBLE AS "id", "source", "category" AS "item", "urgency", "district_code" AS "districtCode",
                 "street_code" AS "streetCode", "community_code" AS "communityCode", "grid_code" AS "gridCode",
                 "lng", "lat", strftime("received_at", '%Y-%m-%d %H:%M:%S') AS "receivedAt", "summary"`,
      { at: opts.at },
    );
    if (opts.vault) await giveContacts(tx, opts.vault, opts.salt ?? DEMO_PII_SALT, events);
    return events;
  });
}

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰'];

/**
 * Synthetic reporters for the live feed (demo only): a made-up name and mobile number for every
 * case and an ID number for petitions (信访 registers the petitioner's identity). Their masks and
 * hash replace the sampled case's, and the values are sealed in the vault — so a role with the
 * personal-data permission sees them in the event detail and every other role sees masks.
 */
async function giveContacts(tx: Database, vault: PiiVault, salt: string, events: readonly SimulatedEvent[]): Promise<void> {
  const rows = events.map((event) => ({ eventId: event.id, contact: syntheticContact(createRandom(event.id * 7919 + 17), event.source) }));
  await tx.run(`CREATE TEMP TABLE IF NOT EXISTS "sim_contacts" ("id" BIGINT, "name_masked" VARCHAR, "phone_masked" VARCHAR, "id_masked" VARCHAR, "reporter_hash" VARCHAR)`);
  await tx.run(`DELETE FROM "sim_contacts"`);
  await tx.appendRows('sim_contacts', ['bigint', 'varchar', 'varchar', 'varchar', 'varchar'], rows.map(({ eventId, contact }) => [
    eventId, maskName(contact.name), maskPhone(contact.phone), maskIdNumber(contact.idNumber), hashPersonalId(contact.idNumber ?? contact.phone!, salt),
  ]));
  await tx.run(
    `UPDATE "events" e SET "reporter_name_masked" = c."name_masked", "reporter_phone_masked" = c."phone_masked",
       "reporter_id_masked" = c."id_masked", "reporter_key" = ${textKeyConversion('reporter_key', 'c.')}
     FROM "sim_contacts" c WHERE e."id" = c."id"`,
  );
  await tx.run(`DROP TABLE "sim_contacts"`);
  await storeContacts(tx, vault, rows);
}

function syntheticContact(random: Random, source: string): ContactDetails {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '');
  const phone = `1${pick(['35', '36', '38', '39', '58', '59', '77', '80', '86', '89'])}${digits(8)}`;
  return { name, phone, idNumber: source === 'petition' ? residentId(random) : null };
}

/** An 18-character resident ID of a Chengdu district with a valid ISO 7064 MOD 11-2 check character. */
function residentId(random: Random): string {
  const district = ['510104', '510105', '510106', '510107', '510108', '510112', '510113', '510114'][Math.floor(random() * 8)]!;
  const born = new Date(Date.UTC(1950 + Math.floor(random() * 55), Math.floor(random() * 12), 1 + Math.floor(random() * 28)));
  const body = `${district}${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, char, i) => acc + Number(char) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** New events as the live stream carries them (no personal data), e.g. after a push. */
export async function readLiveEvents(db: Database, ids: readonly number[]): Promise<SimulatedEvent[]> {
  if (ids.length === 0) return [];
  return db.all<SimulatedEvent>(
    `SELECT "id"::DOUBLE AS "id", "source", "category" AS "item", "urgency", "district_code" AS "districtCode",
       "street_code" AS "streetCode", "community_code" AS "communityCode", "grid_code" AS "gridCode",
       "lng", "lat", strftime("received_at", '%Y-%m-%d %H:%M:%S') AS "receivedAt", "summary"
     FROM "events" WHERE "id" BETWEEN $min AND $max AND list_contains($ids, "id") ORDER BY "received_at", "id"`,
    // The range lets the scan skip every row group outside it (zone maps); new events are at the end.
    { ids: listValue(ids.map((id) => BigInt(id))), min: BigInt(Math.min(...ids)), max: BigInt(Math.max(...ids)) },
  );
}
