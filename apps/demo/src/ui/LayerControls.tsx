// The image view's drawing switches: boxes, masks and keypoints (also the B, M and K keys) and
// the fill opacity.
import { type Layers, SHAPE_KINDS, type ShapeKind, toggled } from "../model/layers.js";

const LABELS: Record<ShapeKind, string> = {
  boxes: "Boxes (B)",
  masks: "Masks (M)",
  keypoints: "Keypoints (K)",
};

export function LayerControls({ layers, onChange }: { layers: Layers; onChange: (layers: Layers) => void }) {
  return (
    <span className="layers" data-testid="layers">
      {SHAPE_KINDS.map((kind) => (
        <label key={kind}>
          <input
            type="checkbox"
            data-testid="kind-toggle"
            data-kind={kind}
            checked={layers.kinds.has(kind)}
            onChange={() => onChange({ ...layers, kinds: toggled(layers.kinds, kind) })}
          />{" "}
          {LABELS[kind]}
        </label>
      ))}
      <label>
        opacity{" "}
        <input
          type="range"
          data-testid="opacity"
          min={0}
          max={1}
          step={0.05}
          value={layers.opacity}
          onChange={(e) => onChange({ ...layers, opacity: Number(e.target.value) })}
        />
      </label>
    </span>
  );
}
