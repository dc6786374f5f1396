// Zoom and pan of the image view's frame: the wheel zooms about the pointer, a drag pans (after a
// few pixels, so a click still picks an overlay), and the returned verbs serve buttons and keys.
import { type RefObject, useCallback, useEffect, useState } from "react";
import { FIT, type Frame, panBy, type Viewport, ZOOM_STEP, zoomAt } from "../model/viewport.js";

/** Pixels a press moves before it becomes a drag. */
const DRAG_START = 3;

export function useZoomPan(frameRef: RefObject<HTMLDivElement | null>, frame: Frame, resetKey: unknown) {
  const [view, setView] = useState<Viewport>(FIT);
  // A new image (or a new fitted size) starts fitted.
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the trigger, not an input
  useEffect(() => setView(FIT), [resetKey, frame.width, frame.height]);

  useEffect(() => {
    const element = frameRef.current;
    if (!element) return;
    // Not passive: the wheel zooms the image instead of scrolling the page.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const factor = event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
      setView((v) => zoomAt(v, factor, frame, event.clientX - box.left, event.clientY - box.top));
    };
    let press: { id: number; x: number; y: number; dragging: boolean } | undefined;
    const onDown = (event: PointerEvent) => {
      if (event.button === 0)
        press = { id: event.pointerId, x: event.clientX, y: event.clientY, dragging: false };
    };
    const onMove = (event: PointerEvent) => {
      if (!press || event.pointerId !== press.id) return;
      const dx = event.clientX - press.x;
      const dy = event.clientY - press.y;
      if (!press.dragging && Math.hypot(dx, dy) < DRAG_START) return;
      if (!press.dragging) {
        // Capturing retargets the click that ends the drag to the frame: no overlay gets selected.
        press.dragging = true;
        element.setPointerCapture(event.pointerId);
        element.classList.add("dragging");
      }
      press.x = event.clientX;
      press.y = event.clientY;
      setView((v) => panBy(v, dx, dy, frame));
    };
    const onUp = (event: PointerEvent) => {
      if (press?.dragging) {
        element.releasePointerCapture(event.pointerId);
        element.classList.remove("dragging");
      }
      press = undefined;
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    element.addEventListener("pointerdown", onDown);
    element.addEventListener("pointermove", onMove);
    element.addEventListener("pointerup", onUp);
    element.addEventListener("pointercancel", onUp);
    return () => {
      element.removeEventListener("wheel", onWheel);
      element.removeEventListener("pointerdown", onDown);
      element.removeEventListener("pointermove", onMove);
      element.removeEventListener("pointerup", onUp);
      element.removeEventListener("pointercancel", onUp);
    };
  }, [frameRef, frame]);

  const zoomIn = useCallback(() => setView((v) => zoomAt(v, ZOOM_STEP, frame)), [frame]);
  const zoomOut = useCallback(() => setView((v) => zoomAt(v, 1 / ZOOM_STEP, frame)), [frame]);
  const reset = useCallback(() => setView(FIT), []);
  const pan = useCallback((dx: number, dy: number) => setView((v) => panBy(v, dx, dy, frame)), [frame]);
  return { view, zoomIn, zoomOut, reset, pan };
}
