import cliProgress from 'cli-progress';

/** A progress bar on a terminal, quiet lines elsewhere (CI logs, pipes). */
export function progressBar(label: string, total: number) {
  if (!process.stderr.isTTY) {
    let lastPercent = -1;
    return {
      update(done: number) {
        const percent = total > 0 ? Math.floor((done / total) * 10) * 10 : 100;
        if (percent !== lastPercent) {
          lastPercent = percent;
          process.stderr.write(`${label}: ${percent}% (${done}/${total})\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update(done: number) {
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
