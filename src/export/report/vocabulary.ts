import type { ReportVocabulary } from "./report-model.js";

/** A list of names, each given the index of its first appearance (rows carry indexes, not repeated names). */
export class Terms {
  readonly #index = new Map<string, number>();

  indexOf(term: string): number {
    let index = this.#index.get(term);
    if (index === undefined) this.#index.set(term, (index = this.#index.size));
    return index;
  }

  toJSON(): string[] {
    return [...this.#index.keys()];
  }
}

/** The names the report's list rows point into. */
export class Vocabulary {
  readonly domains = new Terms();
  readonly shapes = new Terms();
  readonly reasons = new Terms();
  readonly tools = new Terms();
  readonly endReasons = new Terms();

  toJSON(): ReportVocabulary {
    return { domains: this.domains.toJSON(), shapes: this.shapes.toJSON(), reasons: this.reasons.toJSON(), tools: this.tools.toJSON(), endReasons: this.endReasons.toJSON() };
  }
}
