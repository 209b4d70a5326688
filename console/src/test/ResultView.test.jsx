import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import ResultView, { columnsOf, tablesIn } from '../components/ResultView.jsx';

afterEach(cleanup);

const OUTPUT = {
  zones: [
    { id: 'z1', name: 'example.com', status: 'active', plan: { name: 'Enterprise' } },
    { id: 'z2', name: 'shop.example.net', status: 'pending', paused: true },
  ],
  count: 2,
  truncated: false,
  next_cursor: 'abc',
};

describe('ResultView', () => {
  it('renders an array of objects as a table: a column per key, a row per object', () => {
    render(<ResultView output={OUTPUT} />);
    const table = screen.getByRole('table', { name: /zones \(2\)/ });
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['id', 'name', 'status', 'plan', 'paused']);
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3); // the header and two zones
    expect(within(rows[1]).getAllByRole('cell').map((c) => c.textContent))
      .toEqual(['z1', 'example.com', 'active', '{"name":"Enterprise"}', '']);
    expect(within(rows[2]).getAllByRole('cell').map((c) => c.textContent))
      .toEqual(['z2', 'shop.example.net', 'pending', '', 'true']);
  });

  it('shows the scalar fields and the whole output as JSON', () => {
    const { container } = render(<ResultView output={OUTPUT} />);
    expect(screen.getByText('next_cursor')).toBeTruthy();
    expect(screen.getByText('abc')).toBeTruthy();
    expect(JSON.parse(container.querySelector('pre.json').textContent)).toEqual(OUTPUT);
  });

  it('draws no table for an output without an array of objects', () => {
    const { container } = render(<ResultView output={{ valid: true, permissions: ['Zone Read'] }} />);
    expect(container.querySelector('table')).toBeNull();
    expect(tablesIn([{ a: 1 }, { b: 2 }]).map((t) => t.name)).toEqual(['output']);
    expect(columnsOf([{ a: 1 }, { b: 2, a: 3 }])).toEqual(['a', 'b']);
  });
});
