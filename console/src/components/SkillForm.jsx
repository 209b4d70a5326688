import { useEffect, useMemo, useRef } from 'react';
import Form from '@rjsf/core';
import { schemaErrors, validator as baseValidator } from '../validator.js';
import { toErrorSchema } from '@rjsf/utils';

/**
 * What the form draws: the schema without its top-level combinators (oneOf/anyOf/not across several properties, as
 * "ruleset_id or phase" in create_ruleset_rule), which @rjsf would render as a chooser of anonymous options. They are
 * still checked: validation uses the whole schema.
 */
export function displaySchema(schema) {
  if (!schema || typeof schema !== 'object') {
    return { type: 'object' };
  }
  return strip(schema);
}

// Keywords that only constrain a value: a oneOf/anyOf whose options use nothing else is a rule to check (a date-time
// or a date; ruleset_id or phase), not a choice of shapes for the user to make.
const CONSTRAINTS = new Set(['format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'required', 'not',
  'description', 'minItems', 'maxItems']);
const onlyConstrains = (list) => Array.isArray(list)
  && list.every((o) => o && typeof o === 'object' && Object.keys(o).every((k) => CONSTRAINTS.has(k)));

// the first option of a choice of shapes without a default: nothing chosen, nothing sent
const UNSET = 'not set (default)';

const opaqueObject = (p) => p && typeof p === 'object' && p.type === 'object' && !p.properties && !p.patternProperties
  && (p.additionalProperties === undefined || p.additionalProperties === true) && !p.oneOf && !p.anyOf && !p.allOf
  && !p.$ref;

/** The form's data without the nulls an unchosen choice leaves (nothing is sent for it). */
export function pruned(data) {
  if (Array.isArray(data)) return data.map(pruned);
  if (!data || typeof data !== 'object') return data;
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => [k, pruned(v)]));
}

function strip(node) {
  if (Array.isArray(node)) {
    return node.map(strip);
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'oneOf' || key === 'anyOf') && onlyConstrains(value)) continue;
    if (key === 'not' && value && typeof value === 'object' && Object.keys(value).every((k) => CONSTRAINTS.has(k))) continue;
    if ((key === 'oneOf' || key === 'anyOf') && Array.isArray(value)) {
      // a shape without a title is named by the one property it requires (position: before, after or index),
      // not "Option 1"
      const options = value.map((option) => (option && !option.title && option.required?.length === 1
        ? { title: option.required[0], ...strip(option) } : strip(option)));
      // a choice of shapes without a default starts unchosen: the skill's own default applies (position: last)
      out[key] = node.default === undefined ? [{ title: UNSET, type: 'null' }, ...options] : options;
      continue;
    }
    if (key === 'properties' && value && typeof value === 'object') {
      // an object property with nothing described inside (action_parameters: {"type": "object"}) draws an empty
      // heading with no input: it is left out of the form (the API still takes it)
      out[key] = Object.fromEntries(Object.entries(value).filter(([, p]) => !opaqueObject(p))
        .map(([name, p]) => [name, strip(p)]));
      continue;
    }
    // enum and const values and defaults are data, not schemas
    out[key] = key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : strip(value);
  }
  return out;
}

/** A validator checking the whole `schema` whatever part of it the form draws. */
function validatorFor(schema) {
  return {
    ...baseValidator,
    validateFormData(formData, _shown, customValidate, transformErrors, uiSchema) {
      let errors = schemaErrors(schema, pruned(formData));
      if (typeof transformErrors === 'function') {
        errors = transformErrors(errors, uiSchema);
      }
      return { errors, errorSchema: toErrorSchema(errors) };
    },
  };
}

/**
 * A form generated from a skill's input JSON Schema (2020-12): a field per property with its description and default,
 * checked against the schema before anything is sent. `onSubmit(input)` gets the valid input.
 */
export default function SkillForm({ schema, formData, onChange, onSubmit, submitLabel = 'Run', disabled, idPrefix }) {
  const shown = useMemo(() => displaySchema(schema), [schema]);
  const validator = useMemo(() => validatorFor(schema || { type: 'object' }), [schema]);
  const wrap = useRef(null);
  // @rjsf draws the chooser of a oneOf/anyOf of shapes (rule.position: before, after or index) as a <select> without
  // a label; it gets one named after its field.
  useEffect(() => {
    const element = wrap.current;
    if (!element) return undefined;
    const name = (select) => select.id.replace(`${idPrefix || 'root'}_`, '').replace(/__(one|any)of_select$/, '')
      .replace(/_/g, ' ');
    const label = () => element.querySelectorAll('select[id$="of_select"]:not([aria-label])')
      .forEach((select) => select.setAttribute('aria-label', `${name(select)}: which form`));
    label();
    const observer = new MutationObserver(label);
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [idPrefix]);
  return (
    <div ref={wrap}>
    <Form
      schema={shown}
      validator={validator}
      formData={formData}
      onChange={onChange ? (e) => onChange(e.formData) : undefined}
      onSubmit={(e) => onSubmit(pruned(e.formData ?? {}))}
      // the errors are shown above the form and beside each field; nothing to log
      onError={() => {}}
      noHtml5Validate
      showErrorList="top"
      disabled={disabled}
      idPrefix={idPrefix}
      className="skill-form"
      // an optional list (zones) starts empty rather than with one blank item that fails validation
      experimental_defaultFormStateBehavior={{ arrayMinItems: { populate: 'requiredOnly' } }}
    >
      <div className="actions">
        <button type="submit" className="primary" disabled={disabled}>{submitLabel}</button>
      </div>
    </Form>
    </div>
  );
}
