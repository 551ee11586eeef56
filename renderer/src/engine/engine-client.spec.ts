import { describe, expect, it } from 'vitest';
import { ApiError, PermissionError } from '../api/errors';
import { causesByField, toEngineError } from './engine-client';

describe('toEngineError', () => {
  it('keeps code and details of an envelope-like error, as the matching ApiError class', () => {
    const error = toEngineError({ code: 'forbidden', message: 'no', details: { reason: 'Forbidden' } });
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.code).toBe('forbidden');
    expect(error.details.reason).toBe('Forbidden');
  });
  it('wraps plain errors and strings as internal', () => {
    expect(toEngineError(new Error('boom')).message).toBe('boom');
    expect(toEngineError('x').code).toBe('internal');
  });
});

describe('causesByField', () => {
  it('puts causes next to the field they name and keeps the rest general', () => {
    const error = new ApiError({
      code: 'invalid',
      message: 'bad',
      details: {
        causes: [
          { field: 'parameters.processingMaxScale', message: 'must be at most 1000' },
          { field: 'spec.template.spec.containers[0].image', message: 'Required value' },
          { message: 'something else' },
        ],
      },
    });
    const { byField, general } = causesByField(error, ['processingMaxScale', 'namespace']);
    expect(byField).toEqual({ processingMaxScale: 'must be at most 1000' });
    expect(general).toEqual(['spec.template.spec.containers[0].image: Required value', 'something else']);
  });
});
