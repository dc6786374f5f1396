// A folder dropped on the page, read through the File and Directory Entries API into core's
// FolderInput (paths relative to the folder). Entries must be taken during the drop event.

import type { FolderInput } from "@cocokit/core";

/** The dropped item's directory entry, or undefined when a file (or nothing) was dropped. Call in the event. */
export function droppedDirectory(transfer: DataTransfer): FileSystemDirectoryEntry | undefined {
  const entry = transfer.items?.[0]?.webkitGetAsEntry?.();
  return entry?.isDirectory ? (entry as FileSystemDirectoryEntry) : undefined;
}

/** Every file under a dropped directory, recursively. */
export async function readDroppedFolder(directory: FileSystemDirectoryEntry): Promise<FolderInput> {
  const files: { path: string; blob: Blob }[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    const reader = dir.createReader();
    // readEntries answers in batches (about 100 in Chromium) until an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      if (batch.length === 0) return;
      for (const entry of batch) {
        if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, `${prefix}${entry.name}/`);
        else if (entry.isFile) {
          const blob = await new Promise<File>((resolve, reject) =>
            (entry as FileSystemFileEntry).file(resolve, reject),
          );
          files.push({ path: `${prefix}${entry.name}`, blob });
        }
      }
    }
  };
  await walk(directory, "");
  return { kind: "folder", name: directory.name, files };
}
