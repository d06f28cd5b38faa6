import { validateHomeView, validateView } from '../block-kit-limits.js';
import type { JsonObject, StoredView } from '../types.js';
import type { MethodHandler } from './context.js';
import { ArgError, json, str } from './params.js';

function viewArg(params: Record<string, unknown>): JsonObject {
  const view = json(params, 'view', 'invalid_arguments');
  if (view === undefined) throw new ArgError('invalid_arguments', ['missing required field: view']);
  // Slack reports view problems as invalid_arguments with the details in response_metadata.
  const problems = validateView(view);
  if (problems.length > 0) throw new ArgError('invalid_arguments', problems);
  return view as JsonObject;
}

function viewResult(v: StoredView): Record<string, unknown> {
  return { ok: true, view: { ...v.view, hash: v.hash } };
}

export const viewsOpen: MethodHandler = (params, { state }) => {
  const triggerId = str(params, 'trigger_id');
  const view = viewArg(params);
  if (triggerId === undefined) throw new ArgError('invalid_arguments', ['missing required field: trigger_id']);
  const trigger = state.consumeTrigger(triggerId);
  if (!trigger.ok) throw new ArgError(trigger.error);
  return viewResult(state.openView(trigger.user, view)) as ReturnType<MethodHandler>;
};

export const viewsUpdate: MethodHandler = (params, { state }) => {
  const viewId = str(params, 'view_id');
  const externalId = str(params, 'external_id');
  const view = viewArg(params);
  const existing =
    viewId !== undefined ? state.getView(viewId) : externalId !== undefined ? state.findViewByExternalId(externalId) : undefined;
  if (!existing) throw new ArgError('not_found');
  const hash = str(params, 'hash');
  if (hash !== undefined && hash !== existing.hash) throw new ArgError('hash_conflict');
  const updated = state.updateView(existing.id, view);
  if (!updated) throw new ArgError('not_found');
  return viewResult(updated) as ReturnType<MethodHandler>;
};

/** views.publish: the Home tab of `user_id` (the app must have the Home tab on; the emulator assumes so). */
export const viewsPublish: MethodHandler = (params, { state }) => {
  const userId = str(params, 'user_id');
  if (userId === undefined) throw new ArgError('invalid_arguments', ['missing required field: user_id']);
  if (!state.user(userId)) throw new ArgError('user_not_found');
  const view = json(params, 'view', 'invalid_arguments');
  if (view === undefined) throw new ArgError('invalid_arguments', ['missing required field: view']);
  const problems = validateHomeView(view);
  if (problems.length > 0) throw new ArgError('invalid_arguments', problems);
  return viewResult(state.publishHome(userId, view as JsonObject)) as ReturnType<MethodHandler>;
};
