import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';

vi.mock('../api.js', async (original) => ({ ...(await original()), api: vi.fn() }));
const { api } = await import('../api.js');
const { default: Plugins } = await import('../pages/Plugins.jsx');

afterEach(cleanup);

describe('Plugins', () => {
  it('says why one did not start only when one did not', async () => {
    api.mockResolvedValueOnce({ plugins: [{ id: 'cloudflare-skills', version: '0.1.0', state: 'started', skills: [] }] });
    render(<Plugins />);
    expect((await screen.findByRole('table')).querySelector('caption').textContent).toBe('Plugins found (1)');
  });

  it('keeps the heading about a plugin that did not start', async () => {
    api.mockResolvedValueOnce({ plugins: [{ id: 'a', state: 'started', skills: [] }, { id: 'b', state: 'failed', reason: 'x' }] });
    render(<Plugins />);
    expect((await screen.findByRole('table')).querySelector('caption').textContent)
      .toBe('Plugins found (2), with why one did not start');
  });

  it('does not show the chosen file\'s digest before an install is refused', async () => {
    api.mockResolvedValueOnce({ plugins: [] });
    render(<Plugins />);
    await screen.findByRole('table');
    expect(screen.queryByTestId('computed-sha256')).toBeNull();
  });
});
