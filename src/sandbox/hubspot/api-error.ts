/**
 * A failure the sandbox answers in HubSpot's error shape. Thrown by the
 * record store, property registry and search so that in-process callers
 * get the same validation (and the same words) as HTTP callers.
 */
export type HubSpotErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'LOCKED'
  | 'INVALID_AUTHENTICATION'
  | 'INTERNAL_ERROR';

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: HubSpotErrorCategory;
  subCategory?: string;
  errors?: HubSpotErrorDetail[];
  context?: Record<string, string[]>;
}

export interface CrmApiErrorInit {
  status: number;
  category: HubSpotErrorCategory;
  message: string;
  subCategory?: string;
  errors?: HubSpotErrorDetail[];
  context?: Record<string, string[]>;
}

export class CrmApiError extends Error {
  readonly status: number;
  readonly category: HubSpotErrorCategory;
  readonly subCategory: string | undefined;
  readonly errors: HubSpotErrorDetail[] | undefined;
  readonly context: Record<string, string[]> | undefined;

  constructor(init: CrmApiErrorInit) {
    super(init.message);
    this.name = 'CrmApiError';
    this.status = init.status;
    this.category = init.category;
    this.subCategory = init.subCategory;
    this.errors = init.errors;
    this.context = init.context;
  }

  toBody(correlationId: string): HubSpotErrorBody {
    return {
      status: 'error',
      message: this.message,
      correlationId,
      category: this.category,
      ...(this.subCategory === undefined ? {} : { subCategory: this.subCategory }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
      ...(this.context === undefined ? {} : { context: this.context }),
    };
  }
}

export function validationError(message: string, extra: Omit<CrmApiErrorInit, 'status' | 'category' | 'message'> = {}): CrmApiError {
  return new CrmApiError({ status: 400, category: 'VALIDATION_ERROR', message, ...extra });
}

export function notFoundError(message = 'resource not found'): CrmApiError {
  return new CrmApiError({ status: 404, category: 'OBJECT_NOT_FOUND', message });
}

export function conflictError(message: string, context?: Record<string, string[]>): CrmApiError {
  return new CrmApiError({ status: 409, category: 'CONFLICT', message, ...(context ? { context } : {}) });
}
