import type { Request, Response } from 'express';
import type { SessionCookieJar } from '@cityops/api';

export const SESSION_COOKIE = 'cityops_session';

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** httpOnly, SameSite=Strict, Secure when served over HTTPS. */
export function sessionCookieJar(req: Request, res: Response, secure: boolean): SessionCookieJar {
  const jar: SessionCookieJar = {
    token: readCookie(req, SESSION_COOKIE),
    set(token, maxAgeSeconds) {
      jar.token = token;
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: maxAgeSeconds * 1000 });
    },
    clear() {
      jar.token = null;
      res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    },
  };
  return jar;
}
