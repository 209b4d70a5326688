import { useMemo } from 'react';
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
  const { oneOf, anyOf, not, ...rest } = schema;
  const combinesProperties = (list) => Array.isArray(list) && list.every((s) => !s.properties && !s.type);
  const shown = { ...rest };
  if (oneOf && !combinesProperties(oneOf)) shown.oneOf = oneOf;
  if (anyOf && !combinesProperties(anyOf)) shown.anyOf = anyOf;
  if (not && !(not.required)) shown.not = not;
  return shown;
}

/** A validator checking the whole `schema` whatever part of it the form draws. */
function validatorFor(schema) {
  return {
    ...baseValidator,
    validateFormData(formData, _shown, customValidate, transformErrors, uiSchema) {
      let errors = schemaErrors(schema, formData);
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
  return (
    <Form
      schema={shown}
      validator={validator}
      formData={formData}
      onChange={onChange ? (e) => onChange(e.formData) : undefined}
      onSubmit={(e) => onSubmit(e.formData ?? {})}
      noHtml5Validate
      showErrorList="top"
      disabled={disabled}
      idPrefix={idPrefix}
      className="skill-form"
    >
      <div className="actions">
        <button type="submit" className="primary" disabled={disabled}>{submitLabel}</button>
      </div>
    </Form>
  );
}
