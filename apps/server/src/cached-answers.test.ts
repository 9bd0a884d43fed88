import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cityops/api';
import { TrpcHttpClient } from './testing/trpc-http.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

/**
 * Answers served straight from the query cache (cached-answers.ts) must be indistinguishable
 * from tRPC's: same status, headers and bytes, and never to a caller tRPC would refuse.
 */
let server: TestServer;
let cookies: Record<'city' | 'jinjiang', string>;

beforeAll(async () => {
  server = await startTestServer();
  const login = async (user: string) => {
    const client = new TrpcHttpClient(server.baseUrl);
    expect((await client.login(user, DEMO_PASSWORD)).status).toBe(200);
    return client.cookie!;
  };
  cookies = { city: await login('city'), jinjiang: await login('jinjiang') };
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function get(cookie: string, pathAndQuery: string): Promise<{ status: number; body: string; type: string | null; vary: string | null }> {
  const response = await fetch(`${server.baseUrl}/api/trpc/${pathAndQuery}`, { headers: { cookie } });
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type'), vary: response.headers.get('vary') };
}

const query = (path: string, input?: unknown) => (input === undefined ? path : `${path}?input=${encodeURIComponent(JSON.stringify(input))}`);

describe('answers from the query cache', () => {
  it('a repeated cached read is answered without tRPC, byte for byte as tRPC answered it (single calls and batches)', async () => {
    const requests = [
      query('overview.months'),
      query('overview.kpis', { unitCode: '5101', month: '2026-10' }),
      query('overview.monthlyVolumes', { unitCode: '5101' }), // defaults applied by the schema, as tRPC does
      query('overview.topItems', { unitCode: '5101', month: '2026-10', limit: 5 }),
      `overview.kpis,overview.childVolumes?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { unitCode: '5101', month: '2026-10' }, 1: { unitCode: '5101', month: '2026-10' } }))}`,
    ];
    for (const request of requests) {
      const served = server.cachedAnswersServed();
      const first = await get(cookies.city, request);
      expect(first.status, request).toBe(200);
      const second = await get(cookies.city, request);
      expect(server.cachedAnswersServed(), request).toBe(served + 1);
      expect(second).toEqual(first);
    }
    const batch = JSON.parse((await get(cookies.city, requests[4]!)).body) as { result: { data: unknown } }[];
    expect(batch).toHaveLength(2);
    expect(batch[1]!.result.data).toEqual(JSON.parse((await get(cookies.city, requests[1]!.replace('kpis', 'childVolumes'))).body).result.data);
  });

  it('never serves a cached answer across scopes, to a logged-out session or for an invalid input', async () => {
    const cityKpis = query('overview.kpis', { unitCode: '5101', month: '2026-10' });
    expect((await get(cookies.city, cityKpis)).status).toBe(200);
    const served = server.cachedAnswersServed();
    // The district analyst asking for the city's figures: refused by tRPC, every time.
    for (let i = 0; i < 2; i += 1) expect((await get(cookies.jinjiang, cityKpis)).status).toBe(403);
    expect((await get('cityops_session=forged-token', cityKpis)).status).toBe(401);
    expect((await get(cookies.city, query('overview.kpis', { unitCode: '5101', month: '2026-13' }))).status).toBe(400);
    expect((await get(cookies.city, `${cityKpis.split('?')[0]}?input=%7Bnot-json`)).status).toBe(400);
    expect(server.cachedAnswersServed()).toBe(served);

    // Logged out: the cached answer is still there, but the session is gone.
    const client = new TrpcHttpClient(server.baseUrl);
    await client.login('city', DEMO_PASSWORD);
    const before = server.cachedAnswersServed();
    expect((await get(client.cookie!, cityKpis)).status).toBe(200); // resolves the new session through tRPC
    expect((await get(client.cookie!, cityKpis)).status).toBe(200);
    expect(server.cachedAnswersServed()).toBe(before + 1);
    const cookie = client.cookie!;
    expect((await client.mutate('auth.logout', {})).status).toBe(200);
    expect((await get(cookie, cityKpis)).status).toBe(401);
    expect(server.cachedAnswersServed()).toBe(before + 1);
  });

  it('serves the work-order list from a shared fresh read only while nothing was written since it was read', async () => {
    const list = query('workOrders.list', { unitCode: '510104017' });
    const first = await get(cookies.jinjiang, list);
    expect(first.status).toBe(200);
    const served = server.cachedAnswersServed();
    const second = await get(cookies.jinjiang, list);
    expect(second).toEqual(first);
    expect(server.cachedAnswersServed()).toBe(served + 1);
    // Any write through the server's database handle: the next request reads again, through tRPC.
    await server.db.run('CREATE TEMP TABLE IF NOT EXISTS "cached_answers_probe" ("n" INTEGER)');
    expect((await get(cookies.jinjiang, list)).status).toBe(200);
    expect(server.cachedAnswersServed()).toBe(served + 1);
  });
});
