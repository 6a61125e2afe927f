import type { ReportScope } from "../../domain/report.js";

/*
 * The shapes of the report's data files, as `assets/report.js` reads them. Every data file is a script that
 * hands its payload to `agentsynthReport.receive(name, payload)`: Chromium refuses `fetch` of local files under
 * file://, but loads a <script>.
 */

/** Version of the data files' shapes; a report folder holding another version is rewritten whole. */
export const REPORT_FORMAT = 1;

/** The file that marks a folder as an agentsynth report (and names what it covers). */
export const REPORT_MARKER = "agentsynth-report.json";

export interface ReportPaging {
  /** Rows per page of the episode list (`data/index-NNNN.js`). */
  rowsPerIndexPage: number;
  /** Whole episodes per page (`data/episodes-NNNN.js`), loaded when one of them is opened. */
  episodesPerPage: number;
  /** Judgments per page (`data/judgments-NNNN.js`). */
  judgmentsPerPage: number;
}

export const DEFAULT_PAGING: ReportPaging = { rowsPerIndexPage: 2_000, episodesPerPage: 50, judgmentsPerPage: 200 };

/** The name a data page is registered under and the file it lives in (`index-0001` → `data/index-0001.js`). */
export function pageName(kind: "index" | "episodes" | "judgments", number: number): string {
  return `${kind}-${String(number).padStart(4, "0")}`;
}

/** Dataset status of an episode in the list. */
export const ROW_STATUS = { kept: 0, rejected: 1, unfiltered: 2 } as const;
/** The judge's verdict of an episode in the list. */
export const ROW_VERDICT = { none: 0, pass: 1, fail: 2 } as const;
/** What the blueprint verification said (`episode.verification`, when recorded). */
export const VERIFICATION_OUTCOMES = ["state matched", "failed", "not applicable", "not recorded"] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

/**
 * One episode in the list, with short keys (a 100,000-episode list is tens of megabytes). Vocabulary fields are
 * indexes into the manifest's `vocabulary`; the episode's whole record is in episode page
 * ⌊ordinal / episodesPerPage⌋ + 1 at slot ordinal mod episodesPerPage, the ordinal being its place in the list.
 */
export interface IndexRow {
  /** episode id */
  i: string;
  /** task id */
  t: string;
  /** domain (vocabulary.domains), -1 when the agent has none */
  d: number;
  /** task shape (vocabulary.shapes); -1 when not recorded */
  s: number;
  /** dataset status (ROW_STATUS) */
  k: number;
  /** judge verdict (ROW_VERDICT) */
  v: number;
  /** judge score, -1 when not judged */
  sc: number;
  /** reason codes (vocabulary.reasons): the filter's rejection reasons and the judge's */
  r: number[];
  /** tools called (vocabulary.tools) */
  tl: number[];
  /** messages, tool calls, user turns */
  m: number;
  c: number;
  u: number;
  /** end reason (vocabulary.endReasons) */
  e: number;
  /** injected faults */
  f: number;
  /** verification outcome (VERIFICATION_OUTCOMES) */
  vo: number;
  /** the judgment's page and slot, -1 when not judged */
  jp: number;
  jq: number;
  /** text searched by the list's search box: goal, first user message, final answer */
  x: string;
}

/** The lists the rows' indexes point into. */
export interface ReportVocabulary {
  domains: string[];
  shapes: string[];
  reasons: string[];
  tools: string[];
  endReasons: string[];
}

/** A labelled value of a key/value table. */
export interface ReportFact {
  label: string;
  value: string;
}

/** A table as the page shows it (spend per role, the tool audit, the never-called tools, …). */
export interface ReportTable {
  columns: string[];
  rows: string[][];
}

/** A chart: its title, where it goes, a caption, and its Vega-Lite spec (data inline), or why there is nothing to draw. */
export interface ReportChart {
  id: string;
  section: "overview" | "coverage";
  title: string;
  caption: string;
  spec?: Record<string, unknown>;
  /** Said in the chart's place when there is no data ("no fault was injected"). */
  empty?: string;
}

/** Everything the overview and coverage pages show besides charts. */
export interface ReportPanels {
  /** Scope, dataset, run, seeds, episodes. */
  facts: ReportFact[];
  /** Counts per stage as a table too (the numbers behind the chart). */
  stageCounts: ReportTable;
  rejectionReasons: ReportTable;
  /** Models, tokens and spend per role; spend reads "not recorded" when the run has none. */
  models: ReportTable;
  /** The tool audit when the run recorded one, else undefined ("not recorded"). */
  toolAudit: ReportTable | undefined;
  /** Tools the episodes' agents had that no episode called. */
  neverCalled: ReportTable;
  /** The pipeline config and the filter settings, pretty-printed JSON. */
  config: string | undefined;
  filter: string | undefined;
}

/** `data/manifest.js`: what the page needs before any list page loads. */
export interface ReportManifest {
  format: typeof REPORT_FORMAT;
  title: string;
  scope: ReportScope;
  writtenAt: string;
  episodes: number;
  kept: number;
  rejected: number;
  judged: number;
  paging: ReportPaging;
  pages: { index: number; episodes: number; judgments: number };
  vocabulary: ReportVocabulary;
  panels: ReportPanels;
  charts: ReportChart[];
}
