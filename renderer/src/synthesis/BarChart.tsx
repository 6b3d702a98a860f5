/**
 * An accessible inline SVG bar chart (no chart library): the SVG is one image (role="img") whose
 * aria-label states every bar; the page also shows the same numbers in a data table.
 */
export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 240;
const HEIGHT = 132;
const TOP = 18;
const BOTTOM = 22;

export function BarChart({ bars, label, className }: { bars: readonly Bar[]; label: string; className?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = WIDTH / Math.max(1, bars.length);
  const barWidth = Math.min(40, slot * 0.6);
  const plot = HEIGHT - TOP - BOTTOM;
  return (
    <svg
      className={className}
      role="img"
      aria-label={label}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      preserveAspectRatio="xMidYMid meet"
      focusable="false"
    >
      <line x1={0} x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} className="ptce-chart__axis" />
      {bars.map((b, i) => {
        const h = (b.value / max) * plot;
        const x = i * slot + (slot - barWidth) / 2;
        const y = HEIGHT - BOTTOM - h;
        return (
          <g key={b.label}>
            <rect x={x} y={y} width={barWidth} height={Math.max(h, b.value > 0 ? 1 : 0)} className="ptce-chart__bar" />
            <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" className="ptce-chart__value">
              {b.value}
            </text>
            <text x={x + barWidth / 2} y={HEIGHT - 6} textAnchor="middle" className="ptce-chart__tick">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
