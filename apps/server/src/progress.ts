import cliProgress from 'cli-progress';

/** A progress bar on a TTY; plain percentage lines otherwise (CI logs, pipes). */
export function createProgress(title: string) {
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: `${title} [{bar}] {percentage}% | {value}/{total} | {label}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastPrinted = -1;
  return {
    update(done: number, total: number, label = '') {
      if (bar) {
        if (!started) bar.start(total, 0, { label });
        started = true;
        bar.setTotal(total);
        bar.update(done, { label });
        return;
      }
      const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
      if (percent >= lastPrinted + 10 || done === total) {
        lastPrinted = percent;
        process.stderr.write(`${title} ${percent}% (${done}/${total}) ${label}\n`);
      }
    },
    stop() {
      if (bar && started) bar.stop();
    },
  };
}
