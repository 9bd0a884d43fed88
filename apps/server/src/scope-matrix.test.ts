/**
 * The scope matrix (issue 6): every data procedure × every role × an in-scope and an
 * out-of-scope unit, against the real HTTP server. In scope → answered and every unit code in
 * the answer lies inside the caller's territory; out of scope → 403 FORBIDDEN, no data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '@cityops/api';
import { TrpcHttpClient, type TrpcResult } from './testing/trpc-http.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

const MONTH = '2026-10';

/** Procedures that take a unit; `input` builds the input for a unit code. */
const UNIT_PROCEDURES: { path: string; input: (unit: string) => unknown; levels?: RegExp }[] = [
  { path: 'geo.unit', input: (code) => ({ code }) },
  { path: 'geo.children', input: (code) => ({ code }) },
  { path: 'overview.monthlyVolumes', input: (unitCode) => ({ unitCode, months: 3 }) },
  { path: 'overview.childVolumes', input: (unitCode) => ({ unitCode, month: MONTH }), levels: /^\d{4,12}$/ },
  { path: 'overview.kpis', input: (unitCode) => ({ unitCode, month: MONTH }) },
  { path: 'overview.topItems', input: (unitCode) => ({ unitCode, month: MONTH, limit: 16 }) },
  { path: 'overview.natures', input: (unitCode) => ({ unitCode, month: MONTH }) },
  { path: 'events.list', input: (unitCode) => ({ unitCode, month: MONTH, limit: 200 }) },
  { path: 'events.points', input: (unitCode) => ({ unitCode, month: MONTH }), levels: /^\d{9,15}$/ },
  { path: 'index.ranking', input: (unitCode) => ({ unitCode, month: MONTH }), levels: /^\d{4,12}$/ },
  { path: 'index.unit', input: (code) => ({ code, month: MONTH }) },
  { path: 'index.decomposition', input: (code) => ({ code, month: MONTH, compareTo: '2026-09' }) },
  { path: 'hotspots.gi', input: (unitCode) => ({ unitCode, month: MONTH }), levels: /^\d{4,9}$/ },
  { path: 'hotspots.emerging', input: (unitCode) => ({ unitCode, month: MONTH, months: 6 }), levels: /^\d{4,9}$/ },
  { path: 'alerts.list', input: (unitCode) => ({ unitCode, from: '2026-10-01', to: '2026-10-31' }) },
  { path: 'workOrders.list', input: (unitCode) => ({ unitCode }) },
  { path: 'workOrders.metrics', input: (unitCode) => ({ unitCode, month: MONTH }) },
];

/** Each demo role with a unit inside and a unit outside its territory (none for city-wide roles). */
const ROLES: { username: string; inside: string; outside: string | null }[] = [
  { username: 'city', inside: '510104', outside: null },
  { username: 'jinjiang', inside: '510104', outside: '510105' },
  { username: 'jgy', inside: '510104017', outside: '510104018' },
  { username: 'grid', inside: '510104017001001', outside: '510104017001002' },
  { username: 'market', inside: '510104', outside: null },
];

let server: TestServer;
const clients = new Map<string, TrpcHttpClient>();

beforeAll(async () => {
  server = await startTestServer();
  for (const role of [...ROLES, { username: 'admin' }]) {
    const client = new TrpcHttpClient(server.baseUrl);
    const login = await client.login(role.username, DEMO_PASSWORD);
    expect(login.status, `login ${role.username}`).toBe(200);
    clients.set(role.username, client);
  }
});
afterAll(async () => {
  await server?.close();
});

/** Every 4–15 digit string under a code-ish key in the answer. */
function unitCodesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => unitCodesIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && /(^code$|unitCode$|Code$|_code$)/.test(key) && /^\d{4}(\d{2}|\d{5}|\d{8}|\d{11})?$/.test(v) && key !== 'parentCode' && key !== 'parent_code') {
        found.push(v);
      } else unitCodesIn(v, found);
    }
  }
  return found;
}

function call(client: TrpcHttpClient, path: string, input: unknown): Promise<TrpcResult> {
  return client.query(path, input);
}

describe.each(ROLES)('role $username', (role) => {
  // Only the procedures that apply to this role's unit level (a grid has no children to rank).
  const applicable = UNIT_PROCEDURES.filter((procedure) => !procedure.levels || procedure.levels.test(role.inside));
  it.each(applicable)('$path answers inside the territory with in-scope rows only', async (procedure) => {
    // A department's service metrics are asked for by department, not by territory.
    const input = role.username === 'market' && procedure.path === 'workOrders.metrics' ? { departmentCode: 'D01', month: MONTH } : procedure.input(role.inside);
    const result = await call(clients.get(role.username)!, procedure.path, input);
    expect(result.status, JSON.stringify(result.error)).toBe(200);
    const user = DEMO_USERS.find((u) => u.username === role.username)!;
    const territory = user.role === 'department_officer' ? '5101' : user.gridCodes?.[0] ?? user.unitCode;
    for (const code of unitCodesIn(result.data)) {
      // Ancestors of the queried unit may be named (breadcrumbs); anything else must lie inside.
      const isAncestor = role.inside.startsWith(code);
      expect(isAncestor || code.startsWith(territory), `${procedure.path} leaked ${code}`).toBe(true);
    }
  });

  // City-wide roles (city, department) have no unit outside their territory.
  const outside = role.outside;
  if (outside) {
    it.each(UNIT_PROCEDURES)('$path refuses a unit outside the territory', async (procedure) => {
      const result = await call(clients.get(role.username)!, procedure.path, procedure.input(outside));
      expect(result.status).toBe(403);
      expect(result.error?.data.code).toBe('FORBIDDEN');
      expect(result.data).toBeUndefined();
    });
  }
});

describe('department scope', () => {
  it('sees only its own items in aggregates', async () => {
    const market = clients.get('market')!;
    const top = await market.query<{ item: string }[]>('overview.topItems', { unitCode: '5101', month: MONTH, limit: 16 });
    expect(top.status).toBe(200);
    expect(top.data?.length).toBeGreaterThan(0);
    expect(new Set(top.data?.map((row) => row.item))).toEqual(new Set(['market']));
    const city = clients.get('city')!;
    const all = await city.query<{ item: string }[]>('overview.topItems', { unitCode: '5101', month: MONTH, limit: 16 });
    expect(all.data!.length).toBeGreaterThan(1);
  });

  it('gets smaller totals than the city for the same unit', async () => {
    const kpis = async (username: string) =>
      (await clients.get(username)!.query<{ count: number }[]>('overview.kpis', { unitCode: '5101', month: MONTH })).data!.reduce((sum, row) => sum + row.count, 0);
    expect(await kpis('market')).toBeLessThan(await kpis('city'));
  });
});

describe('admin-only procedures', () => {
  it.each(['city', 'jinjiang', 'jgy', 'market', 'grid'])('refuses the audit log to %s', async (username) => {
    const result = await clients.get(username)!.query('admin.audit', {});
    expect(result.status).toBe(403);
  });

  it('lets the admin search logins and failures in the audit log', async () => {
    const admin = clients.get('admin')!;
    const logins = await admin.query<{ actor: string; action: string; ip: string | null }[]>('admin.audit', { action: 'login.succeeded' });
    expect(logins.status).toBe(200);
    const actors = new Set(logins.data!.map((row) => row.actor));
    for (const role of ROLES) expect(actors.has(role.username)).toBe(true);
    expect(logins.data!.every((row) => row.ip !== null)).toBe(true);
  });
});
