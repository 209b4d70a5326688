import { describe, expect, it } from 'vitest';
import { displaySchema } from '../components/SkillForm.jsx';

describe('displaySchema', () => {
  it('draws no chooser for a oneOf or anyOf that only constrains, and names shapes by their required property', () => {
    const shown = displaySchema({
      type: 'object',
      properties: {
        since: { type: 'string', anyOf: [{ format: 'date-time' }, { format: 'date' }] },
        position: { oneOf: [
          { type: 'object', required: ['before'], properties: { before: { type: 'string' } } },
          { type: 'object', required: ['index'], properties: { index: { type: 'integer' } } },
        ] },
        action: { enum: ['block', 'log'] },
      },
      oneOf: [{ required: ['a'], not: { required: ['b'] } }, { required: ['b'], not: { required: ['a'] } }],
    });
    expect(shown.oneOf).toBeUndefined();
    expect(shown.properties.since.anyOf).toBeUndefined();
    // no default: the choice starts unchosen (the skill's default applies)
    expect(shown.properties.position.oneOf.map((o) => o.title)).toEqual(['not set (default)', 'before', 'index']);
    expect(shown.properties.action.enum).toEqual(['block', 'log']);
  });
});
