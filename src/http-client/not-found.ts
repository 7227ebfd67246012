import { isProviderError } from '../core/errors.js';

/** Resolves to null when the provider answered 404; every other failure still throws. */
export async function nullOn404<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (err) {
    if (isProviderError(err) && err.status === 404) return null;
    throw err;
  }
}
