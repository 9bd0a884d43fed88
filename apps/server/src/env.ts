import { z } from 'zod';

/** The one place process.env is read. */
const envSchema = z.object({
  CITYOPS_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  CITYOPS_HOST: z.string().default('127.0.0.1'),
  CITYOPS_DB: z.string().optional(),
  CITYOPS_SESSION_SECRET: z.string().min(32, 'CITYOPS_SESSION_SECRET 至少 32 个字符').optional(),
  CITYOPS_REPORTER_SALT: z.string().min(16).optional(),
  /** Key of the personal-data vault (AES-256-GCM via HKDF); required outside demo mode. */
  CITYOPS_PII_KEY: z.string().min(32, 'CITYOPS_PII_KEY 至少 32 个字符').optional(),
  CITYOPS_HTTPS: z.enum(['0', '1']).default('0'),
  /** 1: log the event loop's delay every 5 s and the push path's stages (diagnosing latency). */
  CITYOPS_TRACE: z.enum(['0', '1']).default('0'),
  /** Diagnostics: delay before pushed events are folded into the rollups (default 500 ms, then 4× the last refresh). */
  CITYOPS_PUSH_REFRESH_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  CITYOPS_BASEMAP_STYLE_URL: z.string().url().optional(),
  /** Push API tokens: `token:system:source` separated by commas (source: hotline|police|petition). */
  CITYOPS_PUSH_TOKENS: z
    .string()
    .regex(/^([^:,\s]{16,}:[\w.-]+:(hotline|police|petition))(,[^:,\s]{16,}:[\w.-]+:(hotline|police|petition))*$/, '格式应为 token:system:source，token 至少 16 个字符')
    .optional(),
});
export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`环境变量配置有误 / invalid environment:\n${problems}`);
  }
  return parsed.data;
}
