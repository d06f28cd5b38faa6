// The Web API methods the emulator answers, by Slack method name.
import { authTest } from './auth.js';
import { chatDelete, chatGetPermalink, chatPostEphemeral, chatPostMessage, chatUpdate } from './chat.js';
import type { MethodHandler } from './context.js';
import { conversationsHistory, conversationsInfo, conversationsList, conversationsReplies } from './conversations.js';
import { usersInfo, usersList } from './users.js';
import { viewsOpen, viewsPublish, viewsUpdate } from './views.js';

export const METHODS: Readonly<Record<string, MethodHandler>> = {
  'auth.test': authTest,
  'chat.postMessage': chatPostMessage,
  'chat.update': chatUpdate,
  'chat.delete': chatDelete,
  'chat.postEphemeral': chatPostEphemeral,
  'chat.getPermalink': chatGetPermalink,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'conversations.info': conversationsInfo,
  'conversations.list': conversationsList,
  'users.info': usersInfo,
  'users.list': usersList,
  'views.open': viewsOpen,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
};

export type { MethodContext, MethodHandler } from './context.js';
export { ArgError } from './params.js';
