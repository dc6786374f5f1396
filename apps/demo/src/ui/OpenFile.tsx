import { type FolderInput, folderInput } from "@cocokit/core";
import { type DragEvent, useState } from "react";
import { droppedDirectory, readDroppedFolder } from "./dropped-folder.js";
import { FileInput } from "./FileInput.js";

/** What the page opens: a `.json` or `.zip` file, or a folder (annotations and images). */
export type OpenInput = File | FolderInput;

/** A file input, a folder input and a drop zone (a file or a folder). */
export function OpenFile({ onFile, disabled }: { onFile: (input: OpenInput) => void; disabled: boolean }) {
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const directory = droppedDirectory(event.dataTransfer);
    if (directory) {
      void readDroppedFolder(directory).then(onFile);
      return;
    }
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop zone complements the file input inside it
    <div
      className={over ? "drop over" : "drop"}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <FileInput
        label={
          <>
            Open a COCO <code>.json</code> or <code>.zip</code>
          </>
        }
        accept=".json,.zip,application/json,application/zip"
        testId="open-input"
        disabled={disabled}
        onFile={onFile}
      />
      <label>
        or a folder{" "}
        <input
          type="file"
          data-testid="open-folder"
          // The directory picker: every file under the chosen folder, with its relative path.
          {...{ webkitdirectory: "" }}
          disabled={disabled}
          onChange={(e) => {
            const files = e.target.files;
            if (files?.length) onFile(folderInput(files));
            e.target.value = "";
          }}
        />
      </label>
      <span> or drop one here</span>
    </div>
  );
}
