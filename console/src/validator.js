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

function message(error) {
  const text = error.error;
  switch (error.keyword) {
    case 'required': {
      const missing = /property "([^"]+)"/.exec(text);
      return missing ? `must have required property '${missing[1]}'` : text;
    }
    case 'anyOf':
    case 'oneOf':
      return 'must match one of the allowed forms';
    case 'additionalProperties': {
      const extra = /Property "([^"]+)"/.exec(text);
      return extra ? `must not have the property '${extra[1]}'` : text;
    }
    default:
      return text.replace(/^Instance /, '').replace(/\.$/, '');
  }
}

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
    const text = message(e);
    const id = `${prop} ${text}`;
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    errors.push({ name: e.keyword, property: prop, message: text, params, stack: `${prop || 'input'} ${text}`.trim(),
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
