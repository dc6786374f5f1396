import type { Category } from "@cocokit/core";
import { type ItemFilter, toggleCategory } from "../model/filter.js";
import { categoryColor } from "../model/palette.js";

/** Category multi-select and file-name search over the grid. */
export function Filters({
  categories,
  filter,
  onChange,
}: {
  categories: readonly Category[];
  filter: ItemFilter;
  onChange: (filter: ItemFilter) => void;
}) {
  return (
    <div className="filters">
      <input
        type="search"
        placeholder="file name…"
        data-testid="search"
        value={filter.search}
        onChange={(e) => onChange({ ...filter, search: e.target.value })}
      />
      <fieldset data-testid="category-filter">
        <legend>categories</legend>
        {categories.map((c) => (
          <label key={c.id} className="category">
            <input
              type="checkbox"
              data-testid="category-toggle"
              data-category-id={c.id}
              checked={filter.categories.has(c.id)}
              onChange={() => onChange(toggleCategory(filter, c.id))}
            />
            <span className="swatch" style={{ background: categoryColor(c.id) }} />
            {c.name}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
