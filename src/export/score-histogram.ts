export interface ScoreBin {
  from: number;
  to: number;
  judged: number;
  kept: number;
}

const BINS = 10;

/** Judge scores in ten bins of 0.1 (the last includes 1.0): how many judged episodes fell in each, and how many were kept. */
export function buildScoreHistogram(entries: Iterable<{ score: number; kept: boolean }>): ScoreBin[] {
  const bins: ScoreBin[] = Array.from({ length: BINS }, (_, index) => ({ from: index / BINS, to: (index + 1) / BINS, judged: 0, kept: 0 }));
  for (const { score, kept } of entries) addToHistogram(bins, score, kept);
  return bins;
}

/** Count one judged episode into the bins of buildScoreHistogram (so a stream can be binned without keeping its scores). */
export function addToHistogram(bins: ScoreBin[], score: number, kept: boolean): void {
  const bin = bins[Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)))];
  if (!bin) return;
  bin.judged++;
  if (kept) bin.kept++;
}
