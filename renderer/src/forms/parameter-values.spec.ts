import { describe, expect, it } from 'vitest';
import type { TemplateParameter } from '../../../electron/common/schemas/deploy';
import { initialFormValues, toParameterValues, validateAll, validateParameter } from './parameter-values';

function parameter(overrides: Partial<TemplateParameter>): TemplateParameter {
  return {
    name: 'p',
    label: 'P',
    description: null,
    type: 'string',
    required: false,
    default: null,
    options: null,
    min: null,
    max: null,
    ...overrides,
  };
}

describe('validateParameter', () => {
  const maxScale = parameter({ name: 'maxScale', type: 'integer', min: 1, max: 1000, required: true });

  it('accepts a whole number in range', () => {
    expect(validateParameter(maxScale, '100')).toBeNull();
  });
  it('names the problem for bad numbers', () => {
    expect(validateParameter(maxScale, '')).toBe('Required.');
    expect(validateParameter(maxScale, 'ten')).toBe('Must be a number.');
    expect(validateParameter(maxScale, '2.5')).toBe('Must be a whole number.');
    expect(validateParameter(maxScale, '0')).toBe('Must be at least 1.');
    expect(validateParameter(maxScale, '1001')).toBe('Must be at most 1000.');
  });
  it('checks enum options and string lengths', () => {
    expect(validateParameter(parameter({ type: 'enum', options: ['a', 'b'] }), 'c')).toBe(
      'Must be one of a, b.',
    );
    expect(validateParameter(parameter({ max: 3 }), 'abcd')).toBe('Must be at most 3 characters.');
  });
  it('lets optional fields stay empty', () => {
    expect(validateParameter(parameter({ type: 'secret' }), '')).toBeNull();
  });
});

describe('form values', () => {
  const parameters = [
    parameter({ name: 'name', default: 'barrage-processing', required: true }),
    parameter({ name: 'minScale', type: 'integer', default: 0 }),
    parameter({ name: 'tracing', type: 'boolean', default: false }),
    parameter({ name: 'password', type: 'secret' }),
  ];

  it('starts from defaults and keeps values already typed', () => {
    expect(initialFormValues(parameters, { name: 'mine' })).toEqual({
      name: 'mine',
      minScale: '0',
      tracing: false,
      password: '',
    });
  });
  it('converts numbers and leaves empty optional fields to the template default', () => {
    const values = { name: 'x', minScale: '3', tracing: true, password: '' };
    expect(validateAll(parameters, values)).toEqual({});
    expect(toParameterValues(parameters, values)).toEqual({ name: 'x', minScale: 3, tracing: true });
  });
});
