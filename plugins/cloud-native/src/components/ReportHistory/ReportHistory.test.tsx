import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  entityWithReport,
  historyItems,
  mockCloudNativeApi,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { ReportHistory } from './ReportHistory';

describe('ReportHistory', () => {
  const entity = entityWithReport();

  it('charts cost and validation status over time and lists the versions', async () => {
    const api = mockCloudNativeApi({ history: historyItems });
    renderForEntity(<ReportHistory entity={entity} />, { entity, api });

    const chart = await screen.findByRole('img', {
      name: 'Monthly cost and validation status over time',
    });
    expect(api.getHistory).toHaveBeenCalledWith(
      'component:default/marketplace',
    );
    // Oldest left: points in time order, coloured by status
    const points = within(chart).getAllByTestId(/^history-point-/);
    expect(points.map(p => p.dataset.testid)).toEqual([
      'history-point-1',
      'history-point-2',
      'history-point-3',
    ]);
    expect(points.map(p => p.dataset.status)).toEqual(['pass', 'fail', 'pass']);
    const cy = (p: HTMLElement) => Number(p.getAttribute('cy'));
    // The most expensive version sits highest (smallest y)
    expect(cy(points[1])).toBeLessThan(cy(points[2]));
    expect(cy(points[2])).toBeLessThan(cy(points[0]));

    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('2026-11-03 09:00:00 UTC');
    expect(rows[0]).toHaveTextContent('pass');
    expect(rows[0]).toHaveTextContent('$1,610.36');
    expect(rows[0]).toHaveTextContent('3860be3884d8');
    expect(rows[1]).toHaveTextContent('fail');
    expect(within(rows[1]).getByTestId('status-error')).toBeInTheDocument();
  });

  it('explains an empty history', async () => {
    const api = mockCloudNativeApi();
    api.getHistory.mockResolvedValue({ items: [] });
    renderForEntity(<ReportHistory entity={entity} />, { entity, api });

    expect(await screen.findByText(/No history yet/)).toBeInTheDocument();
  });

  it('shows why the history could not be loaded', async () => {
    const api = mockCloudNativeApi();
    api.getHistory.mockRejectedValue(
      await responseError(403, 'history is restricted'),
    );
    renderForEntity(<ReportHistory entity={entity} />, { entity, api });

    expect(
      await screen.findByText(
        /You are not allowed to load the report history: history is restricted/,
      ),
    ).toBeInTheDocument();
  });

  it('loads again when the refresh key changes', async () => {
    const api = mockCloudNativeApi({ history: historyItems });
    function AfterRevalidation() {
      const [key, setKey] = useState(0);
      return (
        <>
          <button onClick={() => setKey(key + 1)}>revalidated</button>
          <ReportHistory entity={entity} refreshKey={key} />
        </>
      );
    }
    renderForEntity(<AfterRevalidation />, { entity, api });
    await screen.findByRole('img', {
      name: 'Monthly cost and validation status over time',
    });
    const calls = api.getHistory.mock.calls.length;

    fireEvent.click(screen.getByRole('button', { name: 'revalidated' }));
    await waitFor(() =>
      expect(api.getHistory).toHaveBeenCalledTimes(calls + 1),
    );
  });
});
