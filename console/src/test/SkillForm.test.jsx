import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import SkillForm from '../components/SkillForm.jsx';

afterEach(cleanup);

// A 2020-12 schema shaped like the skills' own: $defs, formats, defaults, enums, a nested required object and a
// top-level oneOf across properties.
const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://schemas.quiver.dev/test/input.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    actor_email: { type: 'string', format: 'email', description: 'Only changes made by this user.' },
    since: { $ref: '#/$defs/time', description: 'Only entries newer than this.' },
    direction: { enum: ['desc', 'asc'], default: 'desc', description: 'Newest first or oldest first.' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25, description: 'At most this many entries.' },
    phase: { enum: ['http_request_firewall_custom', 'http_ratelimit'] },
    ruleset_id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    rule: {
      type: 'object',
      required: ['action', 'expression'],
      properties: {
        action: { enum: ['block', 'challenge'] },
        expression: { type: 'string', minLength: 1 },
      },
    },
  },
  required: ['rule'],
  oneOf: [{ required: ['ruleset_id'], not: { required: ['phase'] } }, { required: ['phase'], not: { required: ['ruleset_id'] } }],
  $defs: { time: { type: 'string', anyOf: [{ format: 'date-time' }, { format: 'date' }] } },
};

function renderForm(onSubmit = vi.fn(), formData) {
  const view = render(<SkillForm schema={SCHEMA} onSubmit={onSubmit} formData={formData} idPrefix="t" />);
  return { ...view, onSubmit };
}

describe('SkillForm', () => {
  it('renders a labelled field per property, with its description', () => {
    renderForm();
    for (const name of ['actor_email', 'since', 'direction', 'limit', 'phase', 'ruleset_id', 'action', 'expression']) {
      expect(screen.getByLabelText(new RegExp(`^${name}`)), name).toBeTruthy();
    }
    expect(screen.getByText('Only changes made by this user.')).toBeTruthy();
    expect(screen.getByText('At most this many entries.')).toBeTruthy();
  });

  it('fills the schema defaults in and sends them', () => {
    const { onSubmit } = renderForm(vi.fn(), { phase: 'http_request_firewall_custom', rule: { action: 'block', expression: 'ip.src eq 192.0.2.1' } });
    expect(screen.getByLabelText(/^limit/).value).toBe('25');
    expect(screen.getByLabelText(/^direction/).value).toBeTruthy();
    fireEvent.submit(screen.getByRole('button', { name: 'Run' }).closest('form'));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const input = onSubmit.mock.calls[0][0];
    expect(input.limit).toBe(25);
    expect(input.direction).toBe('desc');
    expect(input.rule).toEqual({ action: 'block', expression: 'ip.src eq 192.0.2.1' });
  });

  it('shows the validation errors of the 2020-12 schema and sends nothing', () => {
    const { onSubmit, container } = renderForm(vi.fn(), { actor_email: 'not-an-address', since: 'yesterday', limit: 500,
      rule: { action: 'block' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Run' }).closest('form'));
    expect(onSubmit).not.toHaveBeenCalled();
    const list = container.querySelector('.panel-danger');
    expect(list, 'an error list above the form').toBeTruthy();
    const text = list.textContent;
    expect(text).toMatch(/actor_email.*email/); // format, from the 2020-12 vocabulary
    expect(text).toMatch(/since.*one of the allowed forms/); // the $ref'd anyOf
    expect(text).toMatch(/limit.*100/); // maximum
    expect(text).toMatch(/expression/); // required, in a nested object
    // the top-level oneOf (no phase, no ruleset_id), without a description: a sentence, not the validator's words
    expect(text).toMatch(/This combination of fields is not allowed/);
    expect(text).not.toMatch(/Instance|schema/);
    // each error also sits beside its field
    const expression = screen.getByLabelText(/^expression/).closest('.form-group');
    expect(within(expression).getByText(/required/)).toBeTruthy();
  });

  it('names the field and says what a pattern or a described rule asks for', () => {
    const schema = { ...SCHEMA, description: undefined,
      not: { required: ['ruleset_id', 'phase'] }, oneOf: undefined };
    delete schema.oneOf;
    schema.anyOf = undefined;
    delete schema.anyOf;
    const described = { ...schema, description: 'Name the ruleset by ruleset_id or by phase, not both.' };
    const { container } = render(<SkillForm schema={described} onSubmit={vi.fn()} idPrefix="p"
      formData={{ ruleset_id: 'nope', phase: 'http_ratelimit', rule: { action: 'block', expression: 'x' } }} />);
    fireEvent.submit(screen.getByRole('button', { name: 'Run' }).closest('form'));
    const text = container.querySelector('.panel-danger').textContent;
    expect(text).toContain('ruleset_id must match ^[0-9a-f]{32}$');
    expect(text).toContain('Name the ruleset by ruleset_id or by phase, not both.');
    expect(text).not.toMatch(/matched "not" schema|String does not match/);
  });
});
