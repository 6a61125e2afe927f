import type { AgentRecord } from "../domain/agent.js";
import type { DatasetRecord } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord, ToolSource } from "../domain/tool.js";

/** Compact views of records for lists and operation results; the full record is one `get` away. */

export interface ToolSummary {
  id: string;
  name: string;
  description: string;
  source: ToolSource;
  originalName: string;
  domainId?: string | undefined;
  serverName?: string | undefined;
  readOnly?: boolean | undefined;
}

export function summarizeTool(tool: ToolRecord): ToolSummary {
  return {
    id: tool.id,
    name: tool.name,
    description: tool.description,
    source: tool.source,
    originalName: tool.origin.originalName,
    ...(tool.domainId ? { domainId: tool.domainId } : {}),
    ...(tool.origin.serverName ? { serverName: tool.origin.serverName } : {}),
    ...(tool.annotations?.readOnlyHint !== undefined ? { readOnly: tool.annotations.readOnlyHint } : {}),
  };
}

export interface DomainSummary {
  id: string;
  name: string;
  title: string;
  category: string;
  parent?: string | undefined;
}

export function summarizeDomain(domain: DomainRecord): DomainSummary {
  return { id: domain.id, name: domain.name, title: domain.title, category: domain.category, ...(domain.parent ? { parent: domain.parent } : {}) };
}

export interface AgentSummary {
  id: string;
  name: string;
  domainId?: string | undefined;
  toolIds: string[];
}

export function summarizeAgent(agent: AgentRecord): AgentSummary {
  return { id: agent.id, name: agent.name, ...(agent.domainId ? { domainId: agent.domainId } : {}), toolIds: agent.toolIds };
}

export interface TaskSummary {
  id: string;
  agentId: string;
  goal: string;
  difficulty: TaskRecord["difficulty"];
  criteria: number;
}

export function summarizeTask(task: TaskRecord): TaskSummary {
  return { id: task.id, agentId: task.agentId, goal: task.goal, difficulty: task.difficulty, criteria: task.rubric.criteria.length };
}

export interface EpisodeSummary {
  id: string;
  taskId: string;
  agentId: string;
  runId?: string | undefined;
  status: EpisodeRecord["status"];
  endReason: EpisodeRecord["endReason"];
  messages: number;
  toolCalls: number;
  labels: string[];
  createdAt: string;
}

export function summarizeEpisode(episode: EpisodeRecord): EpisodeSummary {
  return {
    id: episode.id,
    taskId: episode.taskId,
    agentId: episode.agentId,
    ...(episode.runId ? { runId: episode.runId } : {}),
    status: episode.status,
    endReason: episode.endReason,
    messages: episode.messages.length,
    toolCalls: episode.messages.reduce((count, message) => count + (message.role === "assistant" ? (message.tool_calls?.length ?? 0) : 0), 0),
    labels: episode.labels,
    createdAt: episode.createdAt,
  };
}

export interface DatasetSummary {
  id: string;
  name: string;
  kept: number;
  rejected: number;
  rejectionCounts: Record<string, number>;
  exports: number;
}

export function summarizeDataset(dataset: DatasetRecord): DatasetSummary {
  return { id: dataset.id, name: dataset.name, kept: dataset.episodeIds.length, rejected: dataset.rejected.length, rejectionCounts: dataset.rejectionCounts, exports: dataset.exports.length };
}
