// Per-category colours: a pure function of the category id, so the same category has the same
// colour on every page load, in every image and in the legend.

/** Golden-angle hue steps keep consecutive ids far apart on the colour wheel. */
const GOLDEN_ANGLE = 137.508;

/** The colour of a category, as a CSS `hsl()` string; `undefined` (no category) is grey. */
export function categoryColor(categoryId: number | undefined): string {
  if (categoryId === undefined) return "hsl(0, 0%, 60%)";
  const hue = (((categoryId * GOLDEN_ANGLE) % 360) + 360) % 360;
  // Two lightness bands alternate so neighbours differ in brightness too.
  const lightness = Math.abs(categoryId) % 2 === 0 ? 45 : 60;
  return `hsl(${hue.toFixed(1)}, 80%, ${lightness}%)`;
}
