// A JSON Schema 2020-12 validator for @rjsf/core that compiles nothing at run time. The console's Content-Security-
// Policy has no 'unsafe-eval', and Ajv (the validator @rjsf/validator-ajv8 wraps) generates code with new Function,
// which that policy refuses; @cfworker/json-schema interprets the schema instead. Its errors are mapped to the
// shape @rjsf expects (property, message, name, params, stack).
import { Validator } from '@cfworker/json-schema';
import { toErrorSchema } from '@rjsf/utils';

// Keywords whose error only says that something under them failed: the failure itself is reported too.
const WRAPPERS = new Set(['properties', 'patternProperties', 'items', 'prefixItems', '$ref', '$dynamicRef', 'allOf',
  'false', 'unevaluatedProperties', 'dependentSchemas', 'then', 'else', 'if', 'contains']);

function property(instanceLocation) {
  const path = instanceLocation.replace(/^#/, '').split('/').filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return path.map((part) => `.${part}`).join('');
}

/** The schema node at a keyword location ("#/properties/zone_id/pattern"), or undefined when it is not plain JSON. */
function at(schema, keywordLocation) {
  let node = schema;
  for (const part of (keywordLocation || '').replace(/^#/, '').split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** The schema holding the failed keyword (its parent in the keyword location). */
const holder = (schema, keywordLocation) => at(schema, (keywordLocation || '').replace(/\/[^/]*$/, ''));

/** A sentence, without the field's name (put before it), for one validator error; `schema` gives the values. */
function message(error, schema) {
  const text = error.error;
  const value = at(schema, error.keywordLocation);
  const parent = holder(schema, error.keywordLocation);
  const top = error.instanceLocation === '#' || error.instanceLocation === '';
  switch (error.keyword) {
    case 'required': {
      const missing = /property "([^"]+)"/.exec(text);
      return missing ? 'is required' : text;
    }
    case 'pattern':
      return typeof value === 'string' ? `must match ${value}` : 'does not have the expected form';
    case 'format':
      return typeof value === 'string' ? `must be ${/^[aeiou]/.test(value) ? 'an' : 'a'} ${value}` : text;
    case 'minLength':
      return typeof value === 'number' ? `must have at least ${value} character${value === 1 ? '' : 's'}` : text;
    case 'maxLength':
      return typeof value === 'number' ? `must have at most ${value} characters` : text;
    case 'minimum':
      return typeof value === 'number' ? `must be ${value} or more` : text;
    case 'maximum':
      return typeof value === 'number' ? `must be ${value} or less` : text;
    case 'exclusiveMinimum':
      return typeof value === 'number' ? `must be more than ${value}` : text;
    case 'exclusiveMaximum':
      return typeof value === 'number' ? `must be less than ${value}` : text;
    case 'minItems':
      return typeof value === 'number' ? `must have at least ${value} item${value === 1 ? '' : 's'}` : text;
    case 'maxItems':
      return typeof value === 'number' ? `must have at most ${value} items` : text;
    case 'enum':
      return Array.isArray(value) ? `must be one of ${value.map((v) => JSON.stringify(v)).join(', ')}` : text;
    case 'const':
      return `must be ${JSON.stringify(value)}`;
    case 'type': {
      const expected = Array.isArray(value) ? value.join(' or ') : value;
      return expected ? `must be ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}` : text;
    }
    case 'anyOf':
    case 'oneOf':
    case 'not':
      // a rule across fields: its description says it best
      if (parent && typeof parent.description === 'string' && parent.description && top) return parent.description;
      if (top) return 'this combination of fields is not allowed';
      return error.keyword === 'not' ? 'has a value that is not allowed' : 'must match one of the allowed forms';
    case 'additionalProperties': {
      const extra = /Property "([^"]+)"/.exec(text);
      return extra ? `must not have the property '${extra[1]}'` : text;
    }
    default:
      return text.replace(/^Instance /, '').replace(/\.$/, '');
  }
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** A field's name as the user sees it: zone_id, rule.expression. */
const fieldName = (prop) => prop.replace(/^\./, '');

/** The schema errors of `data` as @rjsf validation errors, leaf failures only. */
export function schemaErrors(schema, data) {
  const result = new Validator(schema, '2020-12', false).validate(data === undefined ? {} : data);
  if (result.valid) {
    return [];
  }
  const kept = result.errors.filter((e) => !WRAPPERS.has(e.keyword)
    // the alternatives of an anyOf/oneOf that did not match: the anyOf/oneOf error itself says it
    && !/\/(anyOf|oneOf)\/\d+\//.test(e.keywordLocation));
  const seen = new Set();
  const errors = [];
  for (const e of kept) {
    let prop = property(e.instanceLocation);
    const params = {};
    if (e.keyword === 'required') {
      const missing = /property "([^"]+)"/.exec(e.error);
      if (missing) {
        params.missingProperty = missing[1];
        prop = `${prop}.${missing[1]}`;
      }
    }
    const text = message(e, schema);
    const id = `${prop} ${text}`;
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    errors.push({ name: e.keyword, property: prop, message: text, params, stack: prop ? `${fieldName(prop)} ${text}` : capital(text),
      schemaPath: e.keywordLocation });
  }
  return errors;
}

function withRootDefinitions(schema, rootSchema) {
  if (!rootSchema || schema === rootSchema || typeof schema !== 'object') {
    return schema;
  }
  // a sub-schema's "#/$defs/…" references point into the root schema
  return { $defs: rootSchema.$defs, definitions: rootSchema.definitions, ...schema };
}

/** The ValidatorType @rjsf/core asks for. */
export const validator = {
  validateFormData(formData, schema, customValidate, transformErrors, uiSchema) {
    let errors = schemaErrors(schema, formData);
    if (typeof transformErrors === 'function') {
      errors = transformErrors(errors, uiSchema);
    }
    return { errors, errorSchema: toErrorSchema(errors) };
  },
  isValid(schema, formData, rootSchema) {
    try {
      return new Validator(withRootDefinitions(schema, rootSchema), '2020-12', false).validate(formData).valid;
    } catch {
      return false;
    }
  },
  rawValidation(schema, formData) {
    try {
      const errors = new Validator(schema, '2020-12', false).validate(formData).errors;
      return { errors: errors.length ? errors : undefined };
    } catch (e) {
      return { validationError: e };
    }
  },
  reset() {},
};
