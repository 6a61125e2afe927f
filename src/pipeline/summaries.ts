import type { AgentRecord } from "../domain/agent.js";
import type { DatasetRecord } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { AgentSummary, DatasetSummary, DomainSummary, EpisodeSummary, TaskSummary, ToolSummary } from "../domain/summaries.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";

/** Compact views of records (`src/domain/summaries.ts`) for lists and operation results. */

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
    ...(tool.effect ? { effect: tool.effect.operation } : {}),
    ...(tool.audit ? { auditPassed: tool.audit.passed } : {}),
  };
}

export function summarizeDomain(domain: DomainRecord): DomainSummary {
  return { id: domain.id, name: domain.name, title: domain.title, category: domain.category, ...(domain.parent ? { parent: domain.parent } : {}) };
}

export function summarizeAgent(agent: AgentRecord): AgentSummary {
  return { id: agent.id, name: agent.name, ...(agent.domainId ? { domainId: agent.domainId } : {}), toolIds: agent.toolIds };
}

export function summarizeTask(task: TaskRecord): TaskSummary {
  return { id: task.id, agentId: task.agentId, goal: task.goal, difficulty: task.difficulty, criteria: task.rubric.criteria.length };
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

export function summarizeDataset(dataset: DatasetRecord): DatasetSummary {
  return { id: dataset.id, name: dataset.name, kept: dataset.episodeIds.length, rejected: dataset.rejected.length, rejectionCounts: dataset.rejectionCounts, exports: dataset.exports.length };
}
