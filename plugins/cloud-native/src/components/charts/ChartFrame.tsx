import { ReactNode } from 'react';

/**
 * The SVG both charts draw in: an image named by its title (for screen
 * readers and tests), as wide as its container, never taller than 1.5 times
 * its drawing height.
 */
export function ChartFrame(props: {
  title: string;
  width: number;
  height: number;
  children: ReactNode;
}) {
  const { title, width, height, children } = props;
  return (
    <svg
      role="img"
      aria-label={title}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxHeight: height * 1.5 }}
    >
      <title>{title}</title>
      {children}
    </svg>
  );
}
