import type { IRouter } from 'express';
import { ApiError } from '../errors/api-error.js';

/** Known paths answer 405 (with Allow) for other methods instead of 404. */
export function registerMethodGuards(router: IRouter, routes: Record<string, string[]>): void {
  for (const [path, methods] of Object.entries(routes)) {
    router.all(path, (req, res, next) => {
      if (methods.includes(req.method) || (req.method === 'HEAD' && methods.includes('GET'))) return next();
      res.set('allow', methods.join(', '));
      next(new ApiError('method_not_allowed', `${req.method} is not allowed on ${path}; use ${methods.join(' or ')}.`));
    });
  }
}
