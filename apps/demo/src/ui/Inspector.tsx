// The image view's side panel: the image's annotations (hovering one highlights its overlay, and
// hovering an overlay highlights it here), a switch per category present, and the selected
// annotation's id, category, bbox, area, iscrowd, score and attributes.
import type { Category } from "@cocokit/core";
import type { Layers } from "../model/layers.js";
import { toggled } from "../model/layers.js";
import type { CocoObject } from "../model/objects.js";
import { categoryColor } from "../model/palette.js";

const nameOf = (categories: ReadonlyMap<number, Category>, id: number | undefined) =>
  id === undefined ? "—" : (categories.get(id)?.name ?? String(id));

export function Inspector({
  objects,
  categories,
  layers,
  onLayers,
  highlighted,
  hovered,
  onHighlight,
  onHover,
}: {
  objects: readonly CocoObject[];
  categories: ReadonlyMap<number, Category>;
  layers: Layers;
  onLayers: (layers: Layers) => void;
  highlighted: number | undefined;
  hovered: number | undefined;
  onHighlight: (id: number | undefined) => void;
  onHover: (id: number | undefined) => void;
}) {
  const present = [...new Set(objects.flatMap((o) => (o.categoryId === undefined ? [] : [o.categoryId])))];
  const selected = objects.find((o) => o.id === highlighted);
  return (
    <aside className="inspector" data-testid="inspector">
      {present.length > 0 && (
        <fieldset className="view-categories">
          <legend>draw</legend>
          {present.map((id) => (
            <label key={id}>
              <input
                type="checkbox"
                data-testid="view-category-toggle"
                data-category-id={id}
                checked={!layers.hiddenCategories.has(id)}
                onChange={() =>
                  onLayers({ ...layers, hiddenCategories: toggled(layers.hiddenCategories, id) })
                }
              />
              <span className="swatch" style={{ background: categoryColor(id) }} /> {nameOf(categories, id)}
            </label>
          ))}
        </fieldset>
      )}
      <h3>Annotations ({objects.length})</h3>
      <ul>
        {objects.map((o) => (
          <li
            key={`${o.id}-${o.shapes[0]!.group}`}
            data-testid="inspector-entry"
            data-annotation-id={o.id}
            data-hovered={o.id === hovered ? "true" : undefined}
            className={[o.id === highlighted ? "selected" : "", o.id === hovered ? "hovered" : ""]
              .join(" ")
              .trim()}
            onMouseEnter={() => onHover(o.id)}
            onMouseLeave={() => onHover(undefined)}
          >
            <button type="button" onClick={() => onHighlight(o.id)}>
              <span className="swatch" style={{ background: categoryColor(o.categoryId) }} /> #{o.id}{" "}
              {nameOf(categories, o.categoryId)}
              {o.iscrowd ? " (crowd)" : ""}
            </button>
          </li>
        ))}
      </ul>
      {selected && (
        <dl data-testid="inspector-detail">
          <dt>id</dt>
          <dd>{selected.id}</dd>
          <dt>category</dt>
          <dd>
            {selected.categoryId === undefined
              ? "—"
              : `${categories.get(selected.categoryId)?.name ?? "?"} (${selected.categoryId})`}
          </dd>
          <dt>bbox</dt>
          <dd>{selected.bbox ? selected.bbox.map((v) => +v.toFixed(2)).join(", ") : "—"}</dd>
          <dt>area</dt>
          <dd>{selected.area ?? "—"}</dd>
          <dt>iscrowd</dt>
          <dd>{selected.iscrowd ? 1 : 0}</dd>
          <dt>score</dt>
          <dd data-testid="inspector-score">{selected.score ?? "—"}</dd>
          {Object.entries(selected.attributes).map(([name, value]) => (
            <div key={name} className="attribute" data-testid="inspector-attribute" data-name={name}>
              <dt>{name}</dt>
              <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </aside>
  );
}
