/**
 * The events behind the numbers (issue 6/7) against the real HTTP server: scoped lists and
 * filters, personal data opened only for roles that may see it (and audited), points, the
 * nature breakdown, and exports of a view that respect scope and filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cityops/api';
import { maskIdNumber, maskName, maskPhone } from '@cityops/domain';
import { hashPersonalId, insertSimulatedEvents, readContact, storeContacts } from '@cityops/db';
import { readXlsx } from '@cityops/reports';
import { TrpcHttpClient } from './testing/trpc-http.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

const MONTH = '2026-10';
const STREET = '510104017';
const CONTACT = { name: '张三丰', phone: '13812345678', idNumber: '510104198001011234' };

interface ListResult { total: number; rows: { id: string; source: string; item: string; nature: string | null; streetCode: string; gridCode: string; districtCode: string; receivedAt: string }[] }
interface Detail { id: string; reporter: { name: string | null; phone: string | null; idNumber: string | null }; personalDataVisible: boolean; streetCode: string }

let server: TestServer;
const clients = new Map<string, TrpcHttpClient>();
let sealedId: string;
let otherStreetId: string;

async function count(sql: string, params: Record<string, string>): Promise<number> {
  const [row] = await server.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE ${sql}`, params);
  return row!.n;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const username of ['city', 'jinjiang', 'jgy', 'grid', 'market', 'admin']) {
    const client = new TrpcHttpClient(server.baseUrl);
    expect((await client.login(username, DEMO_PASSWORD)).status).toBe(200);
    clients.set(username, client);
  }
  // A case of the street whose source delivered the reporter's contact (as an import would):
  // the event keeps masks and hash only, the values go sealed into the vault.
  const [mine] = await server.db.all<{ id: string }>(
    `SELECT id::VARCHAR AS id FROM events WHERE street_code = $street AND received_at >= '${MONTH}-01' AND received_at < DATE '${MONTH}-01' + INTERVAL 1 MONTH ORDER BY id LIMIT 1`,
    { street: STREET },
  );
  const [other] = await server.db.all<{ id: string }>(
    `SELECT id::VARCHAR AS id FROM events WHERE district_code = '510104' AND street_code <> $street ORDER BY id LIMIT 1`,
    { street: STREET },
  );
  sealedId = mine!.id;
  otherStreetId = other!.id;
  await server.db.run(
    `UPDATE events SET reporter_name_masked = $name, reporter_phone_masked = $phone, reporter_id_masked = $idn WHERE id = $id::BIGINT`,
    { name: maskName(CONTACT.name)!, phone: maskPhone(CONTACT.phone)!, idn: maskIdNumber(CONTACT.idNumber)!, id: sealedId },
  );
  await storeContacts(server.db, server.piiVault, [{ eventId: Number(sealedId), contact: CONTACT }]);
});
afterAll(async () => {
  await server?.close();
});

describe('events.list', () => {
  it('lists a street month newest first with the same total as the warehouse', async () => {
    const result = await clients.get('jgy')!.query<ListResult>('events.list', { unitCode: STREET, month: MONTH, limit: 200 });
    expect(result.status).toBe(200);
    const expected = await count(`street_code = $s AND received_at >= '${MONTH}-01' AND received_at < DATE '${MONTH}-01' + INTERVAL 1 MONTH`, { s: STREET });
    expect(expected).toBeGreaterThan(0);
    expect(result.data!.total).toBe(expected);
    expect(result.data!.rows.length).toBe(Math.min(200, expected));
    expect(result.data!.rows.every((row) => row.streetCode === STREET)).toBe(true);
    const times = result.data!.rows.map((row) => row.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('applies source and nature filters in the data layer', async () => {
    const result = await clients.get('jinjiang')!.query<ListResult>('events.list', { unitCode: '510104', month: MONTH, source: 'hotline', nature: 'complaint', limit: 200 });
    expect(result.status).toBe(200);
    const expected = await count(`district_code = '510104' AND source = 'hotline' AND nature = 'complaint' AND received_at >= '${MONTH}-01' AND received_at < DATE '${MONTH}-01' + INTERVAL 1 MONTH`, {});
    expect(result.data!.total).toBe(expected);
    expect(result.data!.rows.every((row) => row.source === 'hotline' && row.nature === 'complaint' && row.districtCode === '510104')).toBe(true);
  });

  it('pages without overlap', async () => {
    const first = await clients.get('jinjiang')!.query<ListResult>('events.list', { unitCode: '510104', month: MONTH, limit: 20, offset: 0 });
    const second = await clients.get('jinjiang')!.query<ListResult>('events.list', { unitCode: '510104', month: MONTH, limit: 20, offset: 20 });
    const ids = new Set(first.data!.rows.map((row) => row.id));
    expect(second.data!.rows.length).toBeGreaterThan(0);
    expect(second.data!.rows.some((row) => ids.has(row.id))).toBe(false);
  });

  it('gives a department its own items only, city-wide', async () => {
    const result = await clients.get('market')!.query<ListResult>('events.list', { unitCode: '5101', month: MONTH, limit: 200 });
    expect(result.status).toBe(200);
    expect(result.data!.total).toBe(await count(`category = 'market' AND received_at >= '${MONTH}-01' AND received_at < DATE '${MONTH}-01' + INTERVAL 1 MONTH`, {}));
    expect(result.data!.rows.every((row) => row.item === 'market')).toBe(true);
    const refused = await clients.get('market')!.query('events.list', { unitCode: '5101', month: MONTH, item: 'transport' });
    expect(refused.status).toBe(403);
  });

  it('holds a grid worker to their grid', async () => {
    const grid = await clients.get('grid')!.query<ListResult>('events.list', { unitCode: '510104017001001', month: MONTH });
    expect(grid.status).toBe(200);
    expect(grid.data!.rows.every((row) => row.gridCode === '510104017001001')).toBe(true);
    const street = await clients.get('grid')!.query('events.list', { unitCode: STREET, month: MONTH });
    expect(street.status).toBe(403);
  });

  it('rejects a nature that the source does not have', async () => {
    const result = await clients.get('city')!.query('events.list', { unitCode: '5101', month: MONTH, source: 'police', nature: 'complaint' });
    expect(result.status).toBe(400);
  });
});

describe('events.detail and personal data', () => {
  it('opens the sealed contact for a role with the permission, inside its territory', async () => {
    const result = await clients.get('jgy')!.query<Detail>('events.detail', { id: sealedId });
    expect(result.status).toBe(200);
    expect(result.data!.personalDataVisible).toBe(true);
    expect(result.data!.reporter).toEqual(CONTACT);
  });

  it.each(['city', 'jinjiang'])('shows %s only masks', async (username) => {
    const result = await clients.get(username)!.query<Detail>('events.detail', { id: sealedId });
    expect(result.status).toBe(200);
    expect(result.data!.personalDataVisible).toBe(false);
    expect(result.data!.reporter).toEqual({ name: '张**', phone: '138****5678', idNumber: '510*************34' });
    expect(JSON.stringify(result.data)).not.toContain(CONTACT.phone);
  });

  it('refuses an event outside the territory or the items', async () => {
    expect((await clients.get('jgy')!.query('events.detail', { id: otherStreetId })).status).toBe(403);
    const [notMarket] = await server.db.all<{ id: string }>(`SELECT id::VARCHAR AS id FROM events WHERE category <> 'market' LIMIT 1`);
    expect((await clients.get('market')!.query('events.detail', { id: notMarket!.id })).status).toBe(403);
    expect((await clients.get('jgy')!.query('events.detail', { id: '999999999999' })).status).toBe(404);
  });

  it('audits every detail view, and whether personal data was shown, never the data', async () => {
    const audit = await clients.get('admin')!.query<{ actor: string; target: string; detail: string }[]>('admin.audit', { action: 'event.view', limit: 100 });
    expect(audit.status).toBe(200);
    const views = audit.data!.filter((row) => row.target === sealedId);
    const byActor = new Map(views.map((row) => [row.actor, JSON.parse(row.detail) as { personalData: boolean }]));
    expect(byActor.get('jgy')?.personalData).toBe(true);
    expect(byActor.get('jinjiang')?.personalData).toBe(false);
    expect(byActor.get('city')?.personalData).toBe(false);
    expect(JSON.stringify(audit.data)).not.toContain(CONTACT.phone);
  });

  it('stores the values encrypted: neither the vault nor the events table holds them in clear', async () => {
    const [vault] = await server.db.all<{ sealed: string }>(`SELECT sealed FROM event_contacts WHERE event_id = $id::BIGINT`, { id: sealedId });
    expect(vault!.sealed.length).toBeGreaterThan(40);
    const decoded = Buffer.from(vault!.sealed, 'base64').toString('latin1');
    for (const value of Object.values(CONTACT)) {
      expect(vault!.sealed).not.toContain(value);
      expect(decoded).not.toContain(value);
    }
    const leaks = await count(`concat_ws('|', COLUMNS(* EXCLUDE (id, received_at, lng, lat, location_approximate, dispatched_at, first_response_at, due_at, closed_at, police_is_police_matter, police_transferred_to_hotline, petition_is_repeat, petition_group_size, ingested_at, updated_at))) LIKE '%' || $phone || '%'`, { phone: CONTACT.phone });
    expect(leaks).toBe(0);
  });
});

describe('events.points and overview.natures', () => {
  it('returns a street month of points inside the street and refuses district zoom', async () => {
    const points = await clients.get('jgy')!.query<{ rows: { id: string; lng: number; lat: number }[]; truncated: boolean }>('events.points', { unitCode: STREET, month: MONTH });
    expect(points.status).toBe(200);
    const expected = await count(`street_code = $s AND received_at >= '${MONTH}-01' AND received_at < DATE '${MONTH}-01' + INTERVAL 1 MONTH`, { s: STREET });
    expect(points.data!.rows.length).toBe(Math.min(expected, 5000));
    expect(points.data!.rows.every((p) => p.lng > 102.9 && p.lng < 105 && p.lat > 30 && p.lat < 31.5)).toBe(true);
    expect((await clients.get('jinjiang')!.query('events.points', { unitCode: '510104', month: MONTH })).status).toBe(400);
  });

  it('breaks the month down by nature with the same total as the KPIs', async () => {
    const natures = await clients.get('jinjiang')!.query<{ source: string; nature: string; label: string; count: number }[]>('overview.natures', { unitCode: '510104', month: MONTH });
    const kpis = await clients.get('jinjiang')!.query<{ source: string; count: number }[]>('overview.kpis', { unitCode: '510104', month: MONTH });
    expect(natures.status).toBe(200);
    for (const source of ['petition', 'hotline', 'police']) {
      const sum = natures.data!.filter((row) => row.source === source).reduce((acc, row) => acc + row.count, 0);
      expect(sum, source).toBe(kpis.data!.find((row) => row.source === source)!.count);
    }
    expect(natures.data!.find((row) => row.source === 'hotline' && row.nature === 'complaint')?.label).toBe('投诉');
  });

  it('filters the child volumes by source to the KPI of that source', async () => {
    const children = await clients.get('jinjiang')!.query<{ count: number }[]>('overview.childVolumes', { unitCode: '510104', month: MONTH, source: 'police' });
    const kpis = await clients.get('jinjiang')!.query<{ source: string; count: number }[]>('overview.kpis', { unitCode: '510104', month: MONTH });
    expect(children.data!.reduce((acc, row) => acc + row.count, 0)).toBe(kpis.data!.find((row) => row.source === 'police')!.count);
  });
});

describe('export of a view', () => {
  async function download(username: string, file: string, query: Record<string, string>): Promise<Response> {
    return fetch(`${server.baseUrl}/api/export/${file}?${new URLSearchParams(query)}`, { headers: { cookie: clients.get(username)!.cookie! } });
  }

  it('exports the filtered event list as CSV with a BOM and Chinese headers, rows = the list total', async () => {
    const filter = { unitCode: '510104', month: MONTH, source: 'hotline' };
    const response = await download('jinjiang', 'events.csv', filter);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toContain('事件编号,来源,受理时间');
    const list = await clients.get('jinjiang')!.query<ListResult>('events.list', { ...filter, limit: 1 });
    expect(lines.length - 1).toBe(list.data!.total);
    expect(lines.slice(1).every((line) => line.split(',')[1] === '网络理政')).toBe(true);
  });

  it('exports the child units as XLSX with typed numbers', async () => {
    const response = await download('jinjiang', 'children.xlsx', { unitCode: '510104', month: MONTH });
    expect(response.status).toBe(200);
    const [sheet] = await readXlsx(Buffer.from(await response.arrayBuffer()));
    const streets = await clients.get('jinjiang')!.query<unknown[]>('geo.children', { code: '510104' });
    const dataRows = new Set(sheet!.cells.filter((c) => c.row > 1).map((c) => c.row));
    expect(dataRows.size).toBe(streets.data!.length);
    expect(sheet!.cells.filter((c) => c.row > 1 && c.col === 5).every((c) => c.type === 'number')).toBe(true);
  });

  it('refuses out-of-scope and anonymous exports and audits the exports', async () => {
    expect((await download('jinjiang', 'events.csv', { unitCode: '510105', month: MONTH })).status).toBe(403);
    expect((await fetch(`${server.baseUrl}/api/export/events.csv?unitCode=510104&month=${MONTH}`)).status).toBe(401);
    expect((await download('jinjiang', 'children.csv', { unitCode: '510104', month: MONTH, nature: 'complaint' })).status).toBe(400);
    const audit = await clients.get('admin')!.query<{ actor: string; target: string; detail: string }[]>('admin.audit', { action: 'export.view', limit: 50 });
    const mine = audit.data!.filter((row) => row.actor === 'jinjiang');
    expect(mine.some((row) => row.target === 'events.csv' && JSON.parse(row.detail).rows > 0)).toBe(true);
    expect(mine.some((row) => row.target === 'events.csv' && JSON.parse(row.detail).refused === 'FORBIDDEN')).toBe(true);
  });
});

describe('the demo live feed', () => {
  it('gives simulated cases synthetic reporters: sealed values whose masks and hash are the event\'s', async () => {
    const events = await insertSimulatedEvents(server.db, { count: 20, at: '2026-11-28 10:00:00', vault: server.piiVault });
    expect(events.length).toBe(20);
    for (const event of events) {
      const contact = await readContact(server.db, server.piiVault, event.id);
      expect(contact?.phone).toMatch(/^1[3-9]\d{9}$/);
      const [row] = await server.db.all<{ name: string; phone: string; idn: string | null; hash: string }>(
        `SELECT reporter_name_masked AS name, reporter_phone_masked AS phone, reporter_id_masked AS idn, reporter_hash AS hash FROM events WHERE id = $id::BIGINT`,
        { id: String(event.id) },
      );
      expect(row!.phone).toBe(maskPhone(contact!.phone));
      expect(row!.name).toBe(maskName(contact!.name));
      expect(row!.idn).toBe(maskIdNumber(contact!.idNumber));
      expect(row!.hash).toBe(hashPersonalId(contact!.idNumber ?? contact!.phone!));
      if (event.source === 'petition') expect(contact!.idNumber).toMatch(/^5101\d{13}[\dX]$/);
    }
  });
});
