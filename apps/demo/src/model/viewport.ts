// Zoom and pan of the image view as pure data: the stage (image and SVG overlays together) is
// drawn at `translate(x, y) scale(zoom)` inside a frame of the fitted size, so both stay aligned.

/** A view of a frame `width` × `height` px: zoom ≥ 1 and the top-left offset of the content. */
export interface Viewport {
  zoom: number;
  x: number;
  y: number;
}

export const FIT: Viewport = { zoom: 1, x: 0, y: 0 };
export const MIN_ZOOM = 1;
export const MAX_ZOOM = 32;
/** One step of the buttons, keys and a wheel notch. */
export const ZOOM_STEP = 1.5;

export interface Frame {
  width: number;
  height: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Keeps the content covering the frame (no empty margin is panned into view). */
export function clampView(view: Viewport, frame: Frame): Viewport {
  const zoom = clamp(view.zoom, MIN_ZOOM, MAX_ZOOM);
  return {
    zoom,
    x: clamp(view.x, frame.width * (1 - zoom), 0),
    y: clamp(view.y, frame.height * (1 - zoom), 0),
  };
}

/**
 * Multiplies the zoom by `factor`, keeping the frame point (`cx`, `cy`) still: the pixel under the
 * pointer stays under it. Without a point, the frame's centre.
 */
export function zoomAt(
  view: Viewport,
  factor: number,
  frame: Frame,
  cx = frame.width / 2,
  cy = frame.height / 2,
) {
  const zoom = clamp(view.zoom * factor, MIN_ZOOM, MAX_ZOOM);
  const k = zoom / view.zoom;
  return clampView({ zoom, x: cx - (cx - view.x) * k, y: cy - (cy - view.y) * k }, frame);
}

/** Moves the content by (dx, dy) frame pixels. */
export function panBy(view: Viewport, dx: number, dy: number, frame: Frame): Viewport {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, frame);
}

/** The CSS transform of the stage (transform-origin 0 0). */
export function transformOf(view: Viewport): string {
  return `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`;
}
