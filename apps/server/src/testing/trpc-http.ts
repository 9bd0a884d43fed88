/**
 * A minimal tRPC-over-HTTP client for tests: it speaks the wire format directly (GET for queries,
 * POST for mutations) and keeps the session cookie like a browser would.
 */
export interface TrpcResult<T = unknown> {
  status: number;
  data?: T;
  error?: { message: string; code: number; data: { code: string; httpStatus: number; stack?: string } };
  headers: Headers;
}

export class TrpcHttpClient {
  cookie: string | null = null;

  constructor(private readonly baseUrl: string) {}

  async query<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.send<T>(`${this.baseUrl}/api/trpc/${path}${query}`, { method: 'GET' });
  }

  async mutate<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>> {
    return this.send<T>(`${this.baseUrl}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? null),
    });
  }

  async login(username: string, password: string): Promise<TrpcResult> {
    return this.mutate('auth.login', { username, password });
  }

  private async send<T>(url: string, init: RequestInit): Promise<TrpcResult<T>> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await fetch(url, { ...init, headers });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const body = (await response.json()) as { result?: { data: T }; error?: TrpcResult['error'] };
    return {
      status: response.status,
      ...(body.result ? { data: body.result.data } : {}),
      ...(body.error ? { error: body.error } : {}),
      headers: response.headers,
    };
  }
}
