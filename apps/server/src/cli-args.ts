import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A user-facing CLI error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n用法 / usage: ${usage}`);
  }
}

export function numberFlag(value: string | undefined, name: string, fallback: number, range: [number, number]): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < range[0] || parsed > range[1]) {
    throw new UsageError(`--${name} 应为 ${range[0]}–${range[1]} 之间的数字，收到 "${value}"`);
  }
  return parsed;
}

export function monthFlag(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new UsageError(`--${name} 应为 YYYY-MM 格式，收到 "${value}"`);
  return value;
}
