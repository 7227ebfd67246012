import type { z } from 'zod';
import { validationError } from '../api-error.js';

/** Parses a request body with a zod schema; failures become HubSpot VALIDATION_ERROR answers. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { message: path === '' ? issue.message : `${path}: ${issue.message}`, code: issue.code, in: path };
  });
  throw validationError(`Invalid input JSON: ${errors.map((e) => e.message).join('; ')}`, { errors });
}
