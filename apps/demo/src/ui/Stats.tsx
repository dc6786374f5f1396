// The stats view: annotations per category, per subset and per COCO area range, as SVG bar charts
// (one <g data-testid="stats-bar"> per bar, with its key and value as data attributes).
import { useMemo } from "react";
import type { Bar, DatasetStats } from "../model/stats.js";

const ROW = 18;
const LABEL = 160;
const WIDTH = 560;
const VALUE = 70;

function Bars({ chart, title, bars }: { chart: string; title: string; bars: readonly Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL - VALUE;
  return (
    <section className="chart" data-testid="stats-chart" data-chart={chart}>
      <h3>{title}</h3>
      <svg width={WIDTH} height={bars.length * ROW} role="img" aria-label={title}>
        {bars.map((bar, i) => (
          <g
            key={bar.key}
            data-testid="stats-bar"
            data-key={bar.key}
            data-value={bar.value}
            transform={`translate(0 ${i * ROW})`}
          >
            <text x={LABEL - 6} y={ROW - 5} textAnchor="end">
              {bar.label}
            </text>
            <rect x={LABEL} y={2} height={ROW - 4} width={(bar.value / max) * span} className="bar" />
            <text x={LABEL + (bar.value / max) * span + 4} y={ROW - 5}>
              {bar.value.toLocaleString("en")}
            </text>
          </g>
        ))}
      </svg>
    </section>
  );
}

export function Stats({ stats }: { stats: DatasetStats }) {
  // Most annotated first; ties keep the dataset's category order (sort is stable).
  const categories = useMemo(() => [...stats.categories].sort((a, b) => b.value - a.value), [stats]);
  return (
    <div className="stats" data-testid="stats">
      <Bars chart="areas" title="Annotations by COCO area range" bars={stats.areas} />
      <Bars
        chart="subsets"
        title="Annotations per subset"
        bars={stats.subsets.map((s) => ({ ...s, label: `${s.label} (${s.images} images)` }))}
      />
      <Bars chart="categories" title="Annotations per category" bars={categories} />
    </div>
  );
}
