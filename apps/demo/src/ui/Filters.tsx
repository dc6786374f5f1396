import type { Category } from "@cocokit/core";
import { type CrowdFilter, type ItemFilter, toggleCategory } from "../model/filter.js";
import { categoryColor } from "../model/palette.js";

/** The grid's filters: file-name search, subset, crowd, "has problems" and a category multi-select. */
export function Filters({
  categories,
  subsets,
  filter,
  onChange,
}: {
  categories: readonly Category[];
  subsets: readonly string[];
  filter: ItemFilter;
  onChange: (filter: ItemFilter) => void;
}) {
  return (
    <div className="filters">
      <input
        type="search"
        placeholder="file name…"
        aria-label="search file names"
        data-testid="search"
        value={filter.search}
        onChange={(e) => onChange({ ...filter, search: e.target.value })}
      />
      <label>
        subset{" "}
        <select
          data-testid="subset-filter"
          value={filter.subset ?? ""}
          onChange={(e) => {
            const { subset: _, ...rest } = filter;
            onChange(e.target.value === "" ? rest : { ...rest, subset: e.target.value.slice(1) });
          }}
        >
          <option value="">all</option>
          {subsets.map((subset) => (
            // A leading character keeps an empty subset name apart from "all".
            <option key={subset} value={`=${subset}`}>
              {subset || "(none)"}
            </option>
          ))}
        </select>
      </label>
      <label>
        crowd{" "}
        <select
          data-testid="crowd-filter"
          value={filter.crowd}
          onChange={(e) => onChange({ ...filter, crowd: e.target.value as CrowdFilter })}
        >
          <option value="any">any</option>
          <option value="crowd">with crowd</option>
          <option value="no-crowd">without crowd</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="problems-filter"
          checked={filter.problems}
          onChange={(e) => onChange({ ...filter, problems: e.target.checked })}
        />{" "}
        has problems
      </label>
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
