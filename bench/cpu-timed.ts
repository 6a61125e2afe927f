import { pathToFileURL } from "node:url";

/**
 * `node cpu-timed.js SCRIPT ARGS…` runs SCRIPT as `node SCRIPT ARGS…` would and, when the process exits,
 * writes `CPU_TIME_MARK{"milliseconds": …}` on stderr: the CPU time (user + system, every thread) it used.
 * On a machine shared with other work, CPU time compares two runs where wall time would measure the load.
 */
export const CPU_TIME_MARK = "agentsynth-bench-cpu-time ";

const [script, ...args] = process.argv.slice(2);
if (script !== undefined && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.argv = [process.argv[0] as string, script, ...args];
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    process.stderr.write(`\n${CPU_TIME_MARK}${JSON.stringify({ milliseconds: (user + system) / 1000 })}\n`);
  });
  await import(pathToFileURL(script).href);
}

/** The CPU milliseconds a cpu-timed run wrote on its stderr. */
export function readCpuTime(stderr: string): number {
  const line = stderr.split("\n").find((text) => text.startsWith(CPU_TIME_MARK));
  if (line === undefined) throw new Error(`the child did not report its CPU time:\n${stderr.slice(-2000)}`);
  return (JSON.parse(line.slice(CPU_TIME_MARK.length)) as { milliseconds: number }).milliseconds;
}
