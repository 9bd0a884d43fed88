import { afterEach, describe, expect, it } from 'vitest';
import { BOOT_MISS, bootKey } from './first-screen-boot.ts';
import { prefetchFirstScreen } from './first-screen-prefetch.ts';
import { createQueryClient } from './api-provider.tsx';
import { childVolumesQuery, kpisQuery, meQuery, monthlyVolumesQuery, monthsQuery } from './queries.ts';
import type { CityOpsApi } from './api-contract.ts';

/** A stand-in client that records the calls (the real one is exercised by the e2e tests). */
function recordingApi(user: { unitCode: string } | null) {
  const calls: string[] = [];
  const answer = (name: string, value: unknown) => ({
    query: async (input?: unknown) => {
      calls.push(input === undefined ? name : `${name} ${JSON.stringify(input)}`);
      return value;
    },
  });
  const api = {
    auth: { me: answer('auth.me', { user: user && { ...user, unitName: '锦江区', username: 'jinjiang', role: 'district' } }) },
    overview: {
      months: answer('overview.months', { months: ['2026-09', '2026-10'] }),
      monthlyVolumes: answer('overview.monthlyVolumes', [{ month: '2026-10' }]),
      kpis: answer('overview.kpis', [{ source: 'hotline' }]),
      childVolumes: answer('overview.childVolumes', [{ code: '510104001' }]),
    },
  } as unknown as CityOpsApi;
  return { api, calls };
}

describe('prefetchFirstScreen', () => {
  it("puts the latest month's answers under the keys the dashboard hooks read", async () => {
    const { api, calls } = recordingApi({ unitCode: '510104' });
    const client = createQueryClient();
    await prefetchFirstScreen(client, api);
    expect(client.getQueryData(meQuery(api).queryKey)).toMatchObject({ user: { unitCode: '510104' } });
    expect(client.getQueryData(monthsQuery(api).queryKey)).toEqual({ months: ['2026-09', '2026-10'] });
    expect(client.getQueryData(kpisQuery(api, '510104', '2026-10').queryKey)).toEqual([{ source: 'hotline' }]);
    expect(client.getQueryData(childVolumesQuery(api, '510104', '2026-10', {}).queryKey)).toEqual([{ code: '510104001' }]);
    expect(client.getQueryData(monthlyVolumesQuery(api, '510104', 12).queryKey)).toEqual([{ month: '2026-10' }]);
    expect(calls).toContain('overview.kpis {"unitCode":"510104","month":"2026-10"}');
  });

  it('asks nothing but the session when nobody is signed in', async () => {
    const { api, calls } = recordingApi(null);
    await prefetchFirstScreen(createQueryClient(), api);
    expect(calls).toEqual(['auth.me']);
  });
});

describe('prefetchFirstScreen with the boot module’s answers', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('uses booted answers instead of asking again, and asks for a failed one', async () => {
    const { api, calls } = recordingApi({ unitCode: '510104' });
    const answers = new Map<string, Promise<unknown>>([
      [bootKey('auth.me'), Promise.resolve({ user: { unitCode: '510104', unitName: '锦江区', username: 'jinjiang', role: 'district' } })],
      [bootKey('overview.months'), Promise.resolve({ months: ['2026-10', '2026-11'] })],
      [bootKey('overview.kpis', { unitCode: '510104', month: '2026-11' }), Promise.resolve([{ source: 'police' }])],
      [bootKey('overview.childVolumes', { unitCode: '510104', month: '2026-11' }), Promise.resolve(BOOT_MISS)],
    ]);
    (globalThis as { window?: unknown }).window = { __cityopsBoot: answers };
    const client = createQueryClient();
    await prefetchFirstScreen(client, api);
    expect(client.getQueryData(kpisQuery(api, '510104', '2026-11').queryKey)).toEqual([{ source: 'police' }]);
    expect(client.getQueryData(childVolumesQuery(api, '510104', '2026-11', {}).queryKey)).toEqual([{ code: '510104001' }]);
    expect(calls).not.toContain('auth.me');
    expect(calls).not.toContain('overview.months');
    expect(calls.filter((c) => c.startsWith('overview.kpis'))).toEqual([]);
    expect(calls).toContain('overview.childVolumes {"unitCode":"510104","month":"2026-11"}');
    expect(answers.size).toBe(0);
  });
});

describe('prefetchFirstScreen while the boot is still issuing its requests', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('waits for the boot to issue the month’s calls before taking their answers', async () => {
    const { api, calls } = recordingApi({ unitCode: '510104' });
    const answers = new Map<string, Promise<unknown>>([
      [bootKey('auth.me'), Promise.resolve({ user: { unitCode: '510104', unitName: '锦江区', username: 'jinjiang', role: 'district' } })],
      [bootKey('overview.months'), Promise.resolve({ months: ['2026-10', '2026-11'] })],
    ]);
    // The boot sets the month's calls only later (after its session and months answer came).
    const issued = new Promise<void>((resolve) =>
      setTimeout(() => {
        answers.set(bootKey('overview.monthlyVolumes', { unitCode: '510104', months: 12 }), Promise.resolve([{ month: '2026-11' }]));
        answers.set(bootKey('overview.kpis', { unitCode: '510104', month: '2026-11' }), Promise.resolve([{ source: 'petition' }]));
        resolve();
      }, 20),
    );
    (globalThis as { window?: unknown }).window = { __cityopsBoot: answers, __cityopsBootIssued: issued };
    const client = createQueryClient();
    await prefetchFirstScreen(client, api);
    expect(client.getQueryData(kpisQuery(api, '510104', '2026-11').queryKey)).toEqual([{ source: 'petition' }]);
    expect(calls.filter((c) => c.startsWith('overview.kpis') || c.startsWith('overview.monthlyVolumes') || c === 'auth.me' || c === 'overview.months')).toEqual([]);
    expect(answers.size).toBe(0);
  });
});

describe('a booted answer is used once', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('refetching the session after the first answer asks the server (signing in after a signed-out boot)', async () => {
    const { api, calls } = recordingApi({ unitCode: '510104' });
    (globalThis as { window?: unknown }).window = { __cityopsBoot: new Map([[bootKey('auth.me'), Promise.resolve({ user: null })]]) };
    const client = createQueryClient();
    await prefetchFirstScreen(client, api);
    expect(client.getQueryData(meQuery(api).queryKey)).toEqual({ user: null });
    expect(calls).toEqual([]);
    await client.refetchQueries({ queryKey: meQuery(api).queryKey });
    expect(client.getQueryData(meQuery(api).queryKey)).toMatchObject({ user: { unitCode: '510104' } });
    expect(calls).toEqual(['auth.me']);
  });
});

describe('a signed-out boot', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('does not ask for the refused months again (no second 401 before the login form)', async () => {
    const { api, calls } = recordingApi(null);
    (globalThis as { window?: unknown }).window = {
      __cityopsBoot: new Map<string, Promise<unknown>>([
        [bootKey('auth.me'), Promise.resolve({ user: null })],
        [bootKey('overview.months'), Promise.resolve(BOOT_MISS)],
      ]),
    };
    await prefetchFirstScreen(createQueryClient(), api);
    expect(calls).toEqual([]);
  });
});
