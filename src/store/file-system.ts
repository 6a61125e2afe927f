import { link, open, rename, unlink } from "node:fs/promises";

/** The part of an open file the store writes through. */
export interface StoreFileHandle {
  /** Writes the whole buffer at `position` (bytes from the start of the file). */
  writeAt(data: Uint8Array, position: number): Promise<void>;
  /** Flushes the file's data and metadata to the device (fsync). */
  sync(): Promise<void>;
  truncate(size: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every call the store makes to change files, so a test can record their order (open, write, fsync, rename,
 * the directory's fsync) on the real file system. Reads go straight to node:fs.
 */
export interface StoreFileSystem {
  /** `flags` as for fs.open: "wx" creates a file that must not exist yet, "r" opens a directory to fsync it. */
  open(path: string, flags: "wx" | "r+" | "r"): Promise<StoreFileHandle>;
  rename(from: string, to: string): Promise<void>;
  /** A second name for a file; fails with EEXIST rather than replace one. */
  link(existing: string, name: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeFileSystem: StoreFileSystem = {
  async open(path, flags) {
    const handle = await open(path, flags);
    return {
      async writeAt(data, position) {
        let written = 0;
        while (written < data.byteLength) {
          const { bytesWritten } = await handle.write(data, written, data.byteLength - written, position + written);
          written += bytesWritten;
        }
      },
      sync: () => handle.sync(),
      truncate: (size) => handle.truncate(size),
      close: () => handle.close(),
    };
  },
  rename: (from, to) => rename(from, to),
  link: (existing, name) => link(existing, name),
  unlink: (path) => unlink(path),
};
