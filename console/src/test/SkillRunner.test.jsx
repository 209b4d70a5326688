import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

vi.mock('../api.js', async (original) => ({ ...(await original()), execute: vi.fn() }));
const { execute, ApiError } = await import('../api.js');
const { SkillRunner } = await import('../pages/Skills.jsx');

afterEach(cleanup);

const DESCRIPTOR = { id: 'cloudflare_get_zone_details', access: 'read',
  input_schema: { type: 'object', properties: { zone_id: { type: 'string' } } } };
const ME = { role: 'analyst', connections: [{ id: 'sandbox' }] };

describe('SkillRunner', () => {
  it('clears the previous result when a later run fails', async () => {
    execute.mockResolvedValueOnce({ execution_id: 'ex_ok', status: 'succeeded', output: { zones: [{ id: 'z1', name: 'first-result.example' }] } });
    execute.mockRejectedValueOnce(new ApiError(502, { code: 'VENDOR_UNAVAILABLE', message: 'the vendor did not answer' }));
    const { container } = render(<SkillRunner me={ME} descriptor={DESCRIPTOR} />);
    const form = screen.getByRole('button', { name: 'Run' }).closest('form');
    fireEvent.submit(form);
    await waitFor(() => expect(container.textContent).toContain('first-result.example'));
    fireEvent.submit(form);
    await waitFor(() => expect(container.textContent).toContain('the vendor did not answer'));
    expect(container.textContent).not.toContain('first-result.example');
  });
});
