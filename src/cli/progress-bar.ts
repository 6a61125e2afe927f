/** Progress of a stage, as the bar shows it. */
export interface StageProgress {
  stage: string;
  done: number;
  total: number;
  message?: string | undefined;
}

const WIDTH = 24;

/**
 * A progress bar on stderr. On a terminal it redraws one line; elsewhere (CI logs, pipes) it prints a line
 * when a stage starts and at every 25% of it.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): { update(progress: StageProgress): void; finish(): void } {
  const interactive = Boolean(stream.isTTY);
  let lastStage = "";
  let lastQuarter = -1;
  let drawn = false;
  return {
    update({ stage, done, total, message }) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(fraction * WIDTH);
      const bar = `${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}`;
      const line = `${stage.padEnd(8)} ${bar} ${done}/${total}${message ? `  ${message.slice(0, 40)}` : ""}`;
      if (interactive) {
        if (stage !== lastStage && drawn) stream.write("\n");
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        const quarter = Math.floor(fraction * 4);
        if (stage !== lastStage || quarter > lastQuarter) stream.write(`${line}\n`);
        lastQuarter = stage !== lastStage ? quarter : Math.max(quarter, lastQuarter);
      }
      lastStage = stage;
    },
    finish() {
      if (interactive && drawn) stream.write("\n");
    },
  };
}
