// The convert form beside the Export button: task files, how new masks are stored (CVAT's
// "guess", polygons or RLE), and whether the images go into the zip.
import { COCO_TASKS, type CocoTask } from "@cocokit/core";
import type { ExportChoice } from "../model/export-choice.js";
import { toggled } from "../model/layers.js";

export function ExportForm({
  choice,
  onChange,
  hasMedia,
}: {
  choice: ExportChoice;
  onChange: (choice: ExportChoice) => void;
  hasMedia: boolean;
}) {
  return (
    <details className="export-form" data-testid="export-options">
      <summary>options</summary>
      <div className="export-panel">
        <fieldset>
          <legend>task files</legend>
          {COCO_TASKS.map((task: CocoTask) => (
            <label key={task}>
              <input
                type="checkbox"
                data-testid="export-task"
                data-task={task}
                checked={choice.tasks.has(task)}
                onChange={() => onChange({ ...choice, tasks: toggled(choice.tasks, task) })}
              />{" "}
              {task}
            </label>
          ))}
        </fieldset>
        <label>
          new masks as{" "}
          <select
            data-testid="export-segmentation"
            value={choice.segmentationMode}
            onChange={(e) =>
              onChange({ ...choice, segmentationMode: e.target.value as ExportChoice["segmentationMode"] })
            }
          >
            <option value="guess">CVAT's guess (RLE for crowd)</option>
            <option value="polygons">polygons</option>
            <option value="mask">RLE masks</option>
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="export-save-images"
            checked={choice.saveImages && hasMedia}
            disabled={!hasMedia}
            onChange={(e) => onChange({ ...choice, saveImages: e.target.checked })}
          />{" "}
          save images{hasMedia ? "" : " (the opened file has none)"}
        </label>
      </div>
    </details>
  );
}
