import { useTheme } from '@material-ui/core/styles';
import { ChartFrame } from './ChartFrame';

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartProps {
  /** Accessible name of the chart */
  title: string;
  data: BarDatum[];
  formatValue: (value: number) => string;
}

const WIDTH = 640;
const ROW = 26;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 100;

/**
 * Horizontal bars in plain SVG, largest first: no chart library for a
 * handful of bars. Each bar carries a `<title>` tooltip with its exact value.
 */
export function BarChart(props: BarChartProps) {
  const { title, formatValue } = props;
  const theme = useTheme();
  const data = [...props.data].sort((a, b) => b.value - a.value);
  const max = Math.max(0, ...data.map(d => d.value));
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(ROW, data.length * ROW);

  return (
    <ChartFrame title={title} width={WIDTH} height={height}>
      {data.map((datum, index) => {
        const y = index * ROW;
        const width = max > 0 ? (datum.value / max) * barSpace : 0;
        return (
          <g key={datum.label} data-testid={`bar-${datum.label}`}>
            <title>{`${datum.label}: ${formatValue(datum.value)}`}</title>
            <text
              x={LABEL_WIDTH - 8}
              y={y + ROW / 2}
              dominantBaseline="middle"
              textAnchor="end"
              fontSize={12}
              fill={theme.palette.text.primary}
            >
              {datum.label}
            </text>
            <rect
              x={LABEL_WIDTH}
              y={y + 4}
              width={Math.max(width, datum.value > 0 ? 1 : 0)}
              height={ROW - 8}
              rx={2}
              fill={theme.palette.primary.main}
            />
            <text
              x={LABEL_WIDTH + width + 6}
              y={y + ROW / 2}
              dominantBaseline="middle"
              fontSize={12}
              fill={theme.palette.text.secondary}
            >
              {formatValue(datum.value)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
