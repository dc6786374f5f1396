import { type DragEvent, useState } from "react";

/** A file input and a drop zone for a `.json` or `.zip`. */
export function OpenFile({ onFile, disabled }: { onFile: (file: File) => void; disabled: boolean }) {
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
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
      <label>
        Open a COCO <code>.json</code> or <code>.zip</code>{" "}
        <input
          type="file"
          accept=".json,.zip,application/json,application/zip"
          data-testid="open-input"
          disabled={disabled}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            e.target.value = "";
          }}
        />
      </label>
      <span> or drop it here</span>
    </div>
  );
}
