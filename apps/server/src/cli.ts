#!/usr/bin/env node
/**
 * `pnpm cityops <command>` — the command-line entry point.
 *   start      build the demo database on first run, then serve everything (demo mode)
 *   serve      serve the API and the dashboards over an existing database
 *   generate   generate demo data into a database
 *   import, import-template, publish, index, warnings — see HELP below
 */
import { isDomainError } from '@cityops/domain';
import { UsageError } from './cli-args.ts';
import { runGenerate } from './commands/generate.ts';
import { runServe, runStart } from './commands/serve.ts';
import { runImport } from './commands/import.ts';
import { runImportTemplate } from './commands/import-template.ts';
import { runIndex, runPublish } from './commands/publish.ts';
import { runWarnings } from './commands/warnings.ts';
import { runReport } from './commands/report.ts';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  start: runStart,
  serve: runServe,
  generate: runGenerate,
  import: runImport,
  'import-template': runImportTemplate,
  publish: runPublish,
  index: runIndex,
  warnings: runWarnings,
  report: runReport,
};

const HELP = `CityOps 命令行 / command line

  pnpm cityops start     [--db PATH] [--port N]          首次运行生成演示数据库并启动全部服务
  pnpm cityops serve     --db PATH [--port N] [--demo]    启动服务（API + 三个大屏）
  pnpm cityops generate  [--scale S] [--months M] [--seed N] [--end-month YYYY-MM] [--db PATH] [--replace]
  pnpm cityops import    --source hotline|police|petition FILE [--mapping M.json] [--crs wgs84|gcj02|bd09] [--db PATH]
  pnpm cityops import-template --source hotline|police|petition --out FILE(.csv|.xlsx)
  pnpm cityops publish   --month YYYY-MM [--cutoff "YYYY-MM-DD HH:MM:SS"] [--by NAME] [--db PATH]
  pnpm cityops index     --month YYYY-MM [--db PATH]         计算（不发布）某月指数
  pnpm cityops warnings  --day YYYY-MM-DD [--from-day D] [--demo-sensors N] [--db PATH]
  pnpm cityops report    --month YYYY-MM [--unit CODE] --format docx|pdf|xlsx[,…] --out DIR [--db PATH]
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
