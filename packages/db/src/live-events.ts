import type { Database } from './database.ts';

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
export async function insertSimulatedEvents(db: Database, opts: { count: number; at: string }): Promise<SimulatedEvent[]> {
  // DuckDB's SAMPLE clause takes constants only: the count is validated to an integer here.
  const count = Math.trunc(opts.count);
  if (!(count >= 1 && count <= 10_000)) throw new RangeError(`count must be 1–10000: ${opts.count}`);
  return db.transaction(async (tx) => {
    return tx.all<SimulatedEvent>(
      `INSERT INTO "events"
       SELECT (SELECT coalesce(max("id"), 0) FROM "events") + row_number() OVER () AS "id",
              "source", 'SIM-' || strftime($at::TIMESTAMP, '%Y%m%d%H%M%S') || '-' || row_number() OVER () AS "external_id",
              $at::TIMESTAMP AS "received_at", "channel", "nature", "category", "sub_category", "summary",
              "lng", "lat", "location_approximate", "h3r7", "h3r8", "h3r9",
              "district_code", "street_code", "community_code", "grid_code", "urgency",
              "reporter_hash", "reporter_name_masked", "reporter_phone_masked", "reporter_id_masked",
              'received' AS "status", NULL AS "dispatched_at", NULL AS "first_response_at", NULL AS "due_at", NULL AS "closed_at",
              NULL AS "handling_unit", NULL AS "handling_dept", NULL AS "return_visit",
              "police_is_police_matter", "police_incident_type", "police_transferred_to_hotline",
              "petition_form", "petition_is_repeat", "petition_group_size", "hotline_nature",
              $at::TIMESTAMP AS "ingested_at", $at::TIMESTAMP AS "updated_at"
       FROM (SELECT * FROM "events" USING SAMPLE reservoir(${count} ROWS))
       RETURNING "id"::DOUBLE AS "id", "source", "category" AS "item", "urgency", "district_code" AS "districtCode",
                 "street_code" AS "streetCode", "community_code" AS "communityCode", "grid_code" AS "gridCode",
                 "lng", "lat", strftime("received_at", '%Y-%m-%d %H:%M:%S') AS "receivedAt", "summary"`,
      { at: opts.at },
    );
  });
}
