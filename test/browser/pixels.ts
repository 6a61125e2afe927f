import type { Page } from "playwright-core";

/** A picture reduced to what survives a change of font hinting or anti-aliasing: mean luminance per cell of a coarse grid. */
export interface PictureSummary {
  width: number;
  height: number;
  /** Share of pixels that differ clearly from the most common colour (the background). */
  inked: number;
  /** Distinct colours, counted on a 4-bit-per-channel palette. */
  colours: number;
  /** Mean luminance (0–255) per cell, row by row, GRID_COLUMNS × GRID_ROWS cells. */
  cells: number[];
}

/** What summarisePicture uses of the page. */
interface BrowserImageApi {
  createImageBitmap(blob: Blob): Promise<{ width: number; height: number }>;
  OffscreenCanvas: new (width: number, height: number) => {
    getContext(kind: "2d"): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray; width: number; height: number } } | null;
  };
}

export const GRID_COLUMNS = 32;
export const GRID_ROWS = 24;

/** Decode a PNG in the page (Chromium's own decoder: no image library needed) and summarise it. */
export function summarisePicture(page: Page, png: Buffer): Promise<PictureSummary> {
  return page.evaluate(
    async ({ data, columns, rows }) => {
      // The page's own APIs (the tests are type-checked without the DOM library).
      const page = globalThis as unknown as BrowserImageApi;
      const bitmap = await page.createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
      const canvas = new page.OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2d context");
      context.drawImage(bitmap, 0, 0);
      const { data: pixels, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      const palette = new Map<number, number>();
      const sums = new Array<number>(columns * rows).fill(0);
      const counts = new Array<number>(columns * rows).fill(0);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const offset = (y * width + x) * 4;
          const [r = 0, g = 0, b = 0] = [pixels[offset], pixels[offset + 1], pixels[offset + 2]];
          const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
          palette.set(key, (palette.get(key) ?? 0) + 1);
          const cell = Math.min(rows - 1, Math.floor((y / height) * rows)) * columns + Math.min(columns - 1, Math.floor((x / width) * columns));
          sums[cell] = (sums[cell] ?? 0) + 0.299 * r + 0.587 * g + 0.114 * b;
          counts[cell] = (counts[cell] ?? 0) + 1;
        }
      }
      const background = Math.max(...palette.values());
      return { width, height, inked: 1 - background / (width * height), colours: palette.size, cells: sums.map((sum, index) => sum / (counts[index] || 1)) };
    },
    { data: png.toString("base64"), columns: GRID_COLUMNS, rows: GRID_ROWS },
  );
}

/** How far two summaries are apart: the mean and the largest difference of their cells' luminance. */
export function comparePictures(a: PictureSummary, b: PictureSummary): { mean: number; largest: number } {
  const differences = a.cells.map((cell, index) => Math.abs(cell - (b.cells[index] ?? 0)));
  return { mean: differences.reduce((sum, value) => sum + value, 0) / differences.length, largest: Math.max(...differences) };
}
