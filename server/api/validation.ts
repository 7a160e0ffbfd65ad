import type { z } from 'zod';
import { ApiError } from '../http/errors';

/** Validates `value`; a failure is a 400 that names the field (`payload.amount: …`). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  throw new ApiError('VALIDATION_FAILED', `${path || 'body'}: ${issue?.message ?? 'invalid'}`);
}
