import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type LiveMessage } from '@cityops/api';
import { startLiveSimulator } from './live-simulator.ts';
import { subscribeSse } from './testing/sse-client.ts';
import { TrpcHttpClient } from './testing/trpc-http.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function sessionCookie(username: string): Promise<string> {
  const client = new TrpcHttpClient(server.baseUrl);
  expect((await client.login(username, DEMO_PASSWORD)).status).toBe(200);
  return client.cookie!;
}

describe('live stream (SSE)', () => {
  it('delivers simulated events to each subscriber filtered by scope', async () => {
    const url = `${server.baseUrl}/api/trpc/live.stream`;
    const city = await subscribeSse<LiveMessage>(url, await sessionCookie('city'));
    const district = await subscribeSse<LiveMessage>(url, await sessionCookie('jinjiang'));
    const market = await subscribeSse<LiveMessage>(url, await sessionCookie('market'));
    const stop = startLiveSimulator(server.db, server.liveBus, { perMinute: 6000, rollupEveryMs: 60_000, log: () => {} });
    try {
      const first = await city.waitFor((m) => m.kind === 'event', 15_000);
      expect(first.kind).toBe('event');
      // Enough traffic for every scope to have seen some: wait for the city to hear 300 events.
      await city.waitFor(() => city.messages.length >= 300, 30_000);
    } finally {
      stop();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = (list: LiveMessage[]) => list.filter((m): m is Extract<LiveMessage, { kind: 'event' }> => m.kind === 'event');
    const cityEvents = events(city.messages);
    const districtEvents = events(district.messages);
    const marketEvents = events(market.messages);
    expect(districtEvents.every((m) => m.districtCode === '510104')).toBe(true);
    expect(marketEvents.every((m) => m.item === 'market')).toBe(true);
    expect(districtEvents.length).toBe(cityEvents.filter((m) => m.districtCode === '510104').length);
    expect(marketEvents.length).toBe(cityEvents.filter((m) => m.item === 'market').length);
    expect(marketEvents.length).toBeGreaterThan(0);
    // No personal data travels on the stream.
    for (const event of cityEvents) {
      expect(Object.keys(event).some((key) => /reporter|phone|name|idNumber/i.test(key))).toBe(false);
      const strings = Object.values(event).filter((value): value is string => typeof value === 'string');
      expect(strings.some((value) => /(^|\D)1[3-9]\d{9}(\D|$)/.test(value))).toBe(false);
    }
    city.close();
    district.close();
    market.close();
  });

  it('refuses anonymous subscribers', async () => {
    const anonymous = await subscribeSse<LiveMessage>(`${server.baseUrl}/api/trpc/live.stream`, null);
    const stop = startLiveSimulator(server.db, server.liveBus, { perMinute: 600, rollupEveryMs: 60_000, log: () => {} });
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      stop();
      anonymous.close();
    }
    expect(anonymous.errors[0]?.data?.code).toBe('UNAUTHORIZED');
    expect(anonymous.messages).toEqual([]);
  });
});
