import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import SkillForm from '../components/SkillForm.jsx';

afterEach(cleanup);

// shaped like cloudflare_create_ruleset_rule's rule, and a details skill's checkboxes
const SCHEMA = {
  type: 'object',
  properties: {
    include_settings: { type: 'boolean', default: false, description: 'Also read the zone settings.' },
    hide_user_logs: { type: 'boolean', description: 'Leave out the user logs.' },
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['expression'],
      properties: {
        expression: { type: 'string', minLength: 1 },
        action_parameters: { type: 'object' },
        position: {
          oneOf: [
            { type: 'object', additionalProperties: false, required: ['before'], properties: { before: { type: 'string' } } },
            { type: 'object', additionalProperties: false, required: ['index'], properties: { index: { type: 'integer', minimum: 1 } } },
          ],
          description: 'before a rule id, or a 1-based index. Default: last.',
        },
      },
    },
  },
};

describe('a write skill form', () => {
  it('starts a choice of shapes without a default unchosen, and sends nothing for it', () => {
    const onSubmit = vi.fn();
    const { container } = render(<SkillForm schema={SCHEMA} onSubmit={onSubmit} idPrefix="w"
      formData={{ rule: { expression: 'ip.src eq 192.0.2.1' } }} />);
    expect(screen.queryByLabelText(/^before/)).toBeNull();
    expect(container.querySelector('select[id$="of_select"]').selectedOptions[0].textContent).toBe('not set (default)');
    fireEvent.submit(screen.getByRole('button', { name: 'Run' }).closest('form'));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0][0].rule).toEqual({ expression: 'ip.src eq 192.0.2.1' });
  });

  it('draws no empty heading for an object with nothing described inside', () => {
    const { container } = render(<SkillForm schema={SCHEMA} onSubmit={vi.fn()} idPrefix="w" />);
    expect(container.textContent).not.toContain('action_parameters');
  });

  it('puts each checkbox description after its own checkbox', () => {
    const { container } = render(<SkillForm schema={SCHEMA} onSubmit={vi.fn()} idPrefix="w" />);
    const box = container.querySelector('#w_hide_user_logs');
    const description = screen.getByText('Leave out the user logs.');
    // the description is tied to its checkbox, and follows it in the drawing order
    expect(box.getAttribute('aria-describedby')).toContain(description.closest('[id]').id);
    const wrapper = box.closest('.checkbox');
    expect(wrapper.contains(description)).toBe(true);
  });
});
