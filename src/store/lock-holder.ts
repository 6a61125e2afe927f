import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { z } from "zod";
import { errorCode } from "../errors/describe-error.js";

/** Which process wrote something: enough to tell later whether it is still running. */
export const ProcessIdentitySchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  /** When the process started (ISO time). */
  startedAt: z.string(),
  /**
   * Linux only: boot id + the process start time in clock ticks from /proc, which tells a live process
   * apart from an unrelated process that was given the same pid later (after a reboot or a container restart).
   */
  processStart: z.string().optional(),
});
export type ProcessIdentity = z.infer<typeof ProcessIdentitySchema>;

/** What a lock file records about the process holding it. */
export const LockHolderSchema = ProcessIdentitySchema.extend({
  command: z.string(),
  /** When it took the lock (ISO time). */
  lockedAt: z.string(),
  /** Random, so that a process releases only a lock it took itself. */
  token: z.string(),
});
export type LockHolder = z.infer<typeof LockHolderSchema>;

const MAX_COMMAND_LENGTH = 200;

/** This process, as shard headers record their writer. */
export function identifyThisProcess(now: Date = new Date()): ProcessIdentity {
  const processStart = readProcessStart(process.pid);
  return {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date(now.getTime() - process.uptime() * 1000).toISOString(),
    ...(processStart === undefined ? {} : { processStart }),
  };
}

export function describeThisProcess(token: string, now: Date): LockHolder {
  const command = process.argv.join(" ");
  return {
    ...identifyThisProcess(now),
    command: command.length > MAX_COMMAND_LENGTH ? `${command.slice(0, MAX_COMMAND_LENGTH)}…` : command,
    lockedAt: now.toISOString(),
    token,
  };
}

export function describeHolder(holder: LockHolder): string {
  const where = holder.hostname === hostname() ? "" : ` on host ${holder.hostname}`;
  return `process ${holder.pid}${where} (${holder.command}), started ${holder.startedAt}, holding it since ${holder.lockedAt}`;
}

/**
 * Whether the recorded process may still be running. A holder on another host cannot be checked and counts
 * as alive. A zombie (killed, not yet reaped by its parent) counts as dead, and so does a live process
 * whose start time differs from the recorded one (its pid was reused).
 */
export function isHolderAlive(holder: ProcessIdentity): boolean {
  if (holder.hostname !== hostname()) return true;
  if (!isProcessRunning(holder.pid)) return false;
  const processStart = readProcessStart(holder.pid);
  if (holder.processStart !== undefined && processStart !== undefined && processStart !== holder.processStart) return false;
  return readProcessState(holder.pid) !== "Z";
}

function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 checks existence without sending anything
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === "EPERM";
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function readProcStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function readProcessState(pid: number): string | undefined {
  return readProcStat(pid)?.[0]; // field 3 of stat(5)
}

function readProcessStart(pid: number): string | undefined {
  const startTicks = readProcStat(pid)?.[19]; // field 22 of stat(5): start time in clock ticks since boot
  if (startTicks === undefined) return undefined;
  let bootId = "";
  try {
    bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // no boot id: the start ticks alone still tell most reused pids apart
  }
  return `${bootId}:${startTicks}`;
}
