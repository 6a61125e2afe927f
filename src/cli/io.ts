/** What a command may touch of the process, injected so tests can run commands in-process. */
export interface CliIo {
  /** Read by `serve` over stdio (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}
