import type { ReactNode } from "react";

/**
 * A labelled file `<input>` that hands on the one file picked and clears itself, so picking the
 * same file again fires again.
 */
export function FileInput({
  label,
  accept,
  testId,
  disabled,
  onFile,
}: {
  label: ReactNode;
  accept: string;
  testId: string;
  disabled: boolean;
  onFile: (file: File) => void;
}) {
  return (
    <label>
      {label}{" "}
      <input
        type="file"
        accept={accept}
        data-testid={testId}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
