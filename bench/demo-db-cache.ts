/**
 * A generated demo database cached under var/bench/db, so one full-scale `pnpm bench` run
 * generates the data once for every suite that reads it (generation takes minutes at scale 1).
 * The key is everything that decides the data: scale, seed, months, end month, whether the
 * boundaries were used, the schema version, and a hash of the generator's source files (so a
 * changed generator never serves a stale file). The cached file holds the generated events
 * with the warehouse rollups built, checkpointed; suites copy it and work on the copy, so
 * what one suite writes never reaches the next.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LATEST_SCHEMA_VERSION } from '../packages/db/src/migrations/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = path.join(ROOT, 'var/bench/db');
const GENERATOR_DIR = path.join(ROOT, 'packages/db/src/generator');

export interface DemoDbKey {
  scale: number;
  seed: number;
  months: number;
  endMonth: string;
  boundaries: boolean;
}

/** Short hash of the generator's sources (tests excluded): part of the cache key. */
function generatorFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(GENERATOR_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort()) {
    hash.update(name).update('\0').update(readFileSync(path.join(GENERATOR_DIR, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 10);
}

export function demoDbCacheFile(key: DemoDbKey): string {
  const name = `demo-v${LATEST_SCHEMA_VERSION}-g${generatorFingerprint()}-s${key.scale}-seed${key.seed}-m${key.months}-${key.endMonth}${key.boundaries ? '-b' : ''}.duckdb`;
  return path.join(CACHE_DIR, name);
}

/** The cached file for `key`, or undefined when none has been stored yet. */
export function findCachedDemoDb(key: DemoDbKey): string | undefined {
  const file = demoDbCacheFile(key);
  return existsSync(file) ? file : undefined;
}

/**
 * Stores a closed (or checkpointed, with no pending WAL) database file as the cache entry for
 * `key`, unless one is there already. Written under a temporary name and renamed, so a crash
 * never leaves a half-copied entry.
 */
export function storeDemoDb(file: string, key: DemoDbKey): void {
  const target = demoDbCacheFile(key);
  if (existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  try {
    copyFileSync(file, partial);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * A private copy of the cached database at `destination` when the cache holds one (returns
 * true), or nothing (returns false) so the caller generates — and then stores — it.
 */
export function copyCachedDemoDb(key: DemoDbKey, destination: string): boolean {
  const cached = findCachedDemoDb(key);
  if (!cached) return false;
  copyFileSync(cached, destination);
  return true;
}
