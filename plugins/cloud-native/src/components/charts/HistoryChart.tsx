import { useTheme } from '@material-ui/core/styles';
import { ReportHistoryItem } from '@internal/backstage-plugin-cloud-native-common';
import { formatCost, formatDateTime } from '../../lib/format';
import { ChartFrame } from './ChartFrame';

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { top: 16, right: 16, bottom: 28, left: 80 };

/**
 * Monthly cost over the recorded reports (oldest left) as a line, one dot
 * per report coloured by its validation status.
 */
export function HistoryChart(props: {
  items: ReportHistoryItem[];
  currency?: string;
}) {
  const theme = useTheme();
  const currency = props.currency ?? 'USD';
  const items = [...props.items].sort((a, b) =>
    a.recordedAt.localeCompare(b.recordedAt),
  );
  const costs = items.map(i => i.monthlyCost ?? 0);
  const max = Math.max(...costs, 0);
  const min = Math.min(...costs, max);
  const span = max - min || Math.max(max, 1);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) =>
    PAD.left +
    (items.length === 1
      ? plotWidth / 2
      : (index / (items.length - 1)) * plotWidth);
  // With a flat series the line sits in the middle
  const y = (cost: number) =>
    max === min
      ? PAD.top + plotHeight / 2
      : PAD.top + plotHeight - ((cost - min) / span) * plotHeight;

  const points = items.map((item, index) => ({
    item,
    cx: x(index),
    cy: y(item.monthlyCost ?? 0),
  }));
  const title = 'Monthly cost and validation status over time';

  return (
    <ChartFrame title={title} width={WIDTH} height={HEIGHT}>
      {[
        { value: max, y: PAD.top },
        { value: min, y: PAD.top + plotHeight },
      ].map(label => (
        // the cost axis: its top and bottom values
        <text
          key={label.y}
          x={PAD.left - 8}
          y={label.y}
          textAnchor="end"
          dominantBaseline="middle"
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {formatCost(label.value, currency)}
        </text>
      ))}
      <line
        x1={PAD.left}
        x2={WIDTH - PAD.right}
        y1={PAD.top + plotHeight}
        y2={PAD.top + plotHeight}
        stroke={theme.palette.divider}
      />
      {points.length > 1 && (
        <polyline
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          points={points.map(p => `${p.cx},${p.cy}`).join(' ')}
        />
      )}
      {points.map(({ item, cx, cy }) => (
        <circle
          key={item.id}
          data-testid={`history-point-${item.id}`}
          data-status={item.validationStatus}
          cx={cx}
          cy={cy}
          r={5}
          fill={
            item.validationStatus === 'pass'
              ? theme.palette.success.main
              : theme.palette.error.main
          }
        >
          <title>{`${formatDateTime(item.recordedAt)}: ${
            item.validationStatus
          }, ${formatCost(item.monthlyCost, currency)}`}</title>
        </circle>
      ))}
      {points.length > 0 && (
        <>
          <text
            x={points[0].cx}
            y={HEIGHT - 8}
            textAnchor={points.length === 1 ? 'middle' : 'start'}
            fontSize={11}
            fill={theme.palette.text.secondary}
          >
            {points[0].item.recordedAt.slice(0, 10)}
          </text>
          {points.length > 1 && (
            <text
              x={points[points.length - 1].cx}
              y={HEIGHT - 8}
              textAnchor="end"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {points[points.length - 1].item.recordedAt.slice(0, 10)}
            </text>
          )}
        </>
      )}
    </ChartFrame>
  );
}
