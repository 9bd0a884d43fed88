import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { appendAudit } from '@cityops/db/audit-store';
import { createSession, deleteSession, findUser, recordFailedLogin, recordSuccessfulLogin } from '@cityops/db/auth-store';
import { getUnit } from '@cityops/db';
import { UNIT_LEVEL_LABELS, levelOfCode } from '@cityops/domain';
import { hashSessionToken, newSessionToken, verifyPassword } from '../auth/password.ts';
import { toSessionUser } from '../auth/session-user.ts';
import { publicProcedure, router } from '../trpc.ts';
import { forgetSession, type Context } from '../context.ts';

const GENERIC_FAILURE = '用户名或密码错误';

async function describeUser(ctx: Context) {
  const user = ctx.user;
  if (!user) return null;
  const unit = await getUnit(ctx.db, user.unitCode);
  const level = levelOfCode(user.unitCode) ?? 'city';
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    unitCode: user.unitCode,
    unitName: unit?.name ?? user.unitCode,
    unitLevel: level,
    unitLevelLabel: UNIT_LEVEL_LABELS[level].zh,
    departmentCode: user.departmentCode,
    // A grid worker's own grids: the street desk opens on them (their community is out of scope).
    gridCodes: user.role === 'grid_worker' ? (user.gridCodes ?? []) : null,
    canSeePersonalData: user.canSeePersonalData,
  };
}

export const authRouter = router({
  me: publicProcedure.query(async ({ ctx }) => ({ user: await describeUser(ctx) })),

  login: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }))
    .mutation(async ({ ctx, input }) => {
      const client = ctx.meta.ip ?? 'unknown';
      const wait = ctx.loginThrottle.waitFor(client);
      if (wait > 0) {
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `登录尝试过于频繁，请 ${Math.ceil(wait / 1000)} 秒后再试` });
      }
      const row = await findUser(ctx.db, input.username);
      const lockedUntil = row?.locked_until ? new Date(`${row.locked_until}+08:00`) : null;
      if (row && lockedUntil && lockedUntil.getTime() > Date.now()) {
        await appendAudit(ctx.db, { actor: input.username, action: 'login.locked', target: null, detail: null, ip: ctx.meta.ip });
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: '账号因多次登录失败已被临时锁定，请稍后再试或联系管理员' });
      }
      // Verify even for unknown users' equivalent cost path? We still run scrypt below only when the
      // user exists; the throttle makes enumeration by timing impractical.
      const ok = row && !row.disabled ? await verifyPassword(input.password, row.password_hash) : false;
      if (!row || !ok) {
        ctx.loginThrottle.recordFailure(client);
        if (row) await recordFailedLogin(ctx.db, row.username, ctx.config.loginMaxAttempts, ctx.config.loginLockMinutes);
        await appendAudit(ctx.db, { actor: input.username, action: 'login.failed', target: null, detail: null, ip: ctx.meta.ip });
        throw new TRPCError({ code: 'UNAUTHORIZED', message: GENERIC_FAILURE });
      }
      ctx.loginThrottle.recordSuccess(client);
      await recordSuccessfulLogin(ctx.db, row.username);
      const token = newSessionToken();
      await createSession(ctx.db, hashSessionToken(token, ctx.config.sessionSecret), row.username, ctx.config.sessionTtlMinutes);
      ctx.cookies.set(token, ctx.config.sessionTtlMinutes * 60);
      await appendAudit(ctx.db, { actor: row.username, action: 'login.succeeded', target: null, detail: null, ip: ctx.meta.ip });
      const user = toSessionUser(row);
      return { user: await describeUser({ ...ctx, user }) };
    }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.cookies.token) {
      const tokenHash = hashSessionToken(ctx.cookies.token, ctx.config.sessionSecret);
      forgetSession(ctx.db, tokenHash);
      await deleteSession(ctx.db, tokenHash);
    }
    ctx.cookies.clear();
    if (ctx.user) await appendAudit(ctx.db, { actor: ctx.user.username, action: 'logout', target: null, detail: null, ip: ctx.meta.ip });
    return { ok: true };
  }),
});
