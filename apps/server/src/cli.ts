#!/usr/bin/env node
/**
 * `pnpm cityops <command>` — the command-line entry point.
 *   start      build the demo database on first run, then serve everything (demo mode)
 *   serve      serve the API and the dashboards over an existing database
 *   generate   generate demo data into a database
 */
import { isDomainError } from '@cityops/domain';
import { UsageError } from './cli-args.ts';
import { runGenerate } from './commands/generate.ts';
import { runServe, runStart } from './commands/serve.ts';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  start: runStart,
  serve: runServe,
  generate: runGenerate,
};

const HELP = `CityOps 命令行 / command line

  pnpm cityops start     [--db PATH] [--port N]          首次运行生成演示数据库并启动全部服务
  pnpm cityops serve     --db PATH [--port N] [--demo]    启动服务（API + 三个大屏）
  pnpm cityops generate  [--scale S] [--months M] [--seed N] [--end-month YYYY-MM] [--db PATH]
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`未知命令 "${command}"\n\n${HELP}`);
  await run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`错误: ${error.message}\n`);
    process.exit(2);
  }
  if (isDomainError(error)) {
    process.stderr.write(`错误 [${error.code}]: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`意外错误: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
