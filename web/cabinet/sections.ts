/** The cabinet's sections, in menu order; `owner` ones are hidden from members (and refused by the API). */
import type { View } from "./context.ts";
import type { CabinetKey } from "./texts.ts";
import { adminChatView } from "./views/admin-chat-view.ts";
import { apiKeysView } from "./views/api-keys-view.ts";
import { dialogsView } from "./views/dialogs-view.ts";
import { documentsView } from "./views/documents-view.ts";
import { embedView } from "./views/embed-view.ts";
import { filesView } from "./views/files-view.ts";
import { galleriesView } from "./views/galleries-view.ts";
import { leadsView } from "./views/leads-view.ts";
import { mcpView } from "./views/mcp-view.ts";
import { membersView } from "./views/members-view.ts";
import { modelView } from "./views/model-view.ts";
import { onboardingView } from "./views/onboarding-view.ts";
import { platformView } from "./views/platform-view.ts";
import { profileView } from "./views/profile-view.ts";
import { promptView } from "./views/prompt-view.ts";
import { savedView } from "./views/saved-view.ts";
import { telegramView } from "./views/telegram-view.ts";
import { usageView } from "./views/usage-view.ts";
import { webhooksView } from "./views/webhooks-view.ts";

export interface Section {
  path: string;
  key: CabinetKey;
  owner: boolean;
  /** Only for platform operators (docs/operator.md). */
  operator?: boolean;
  view: View;
}

export const SECTIONS: Section[] = [
  { path: "start", key: "start", owner: true, view: onboardingView },
  { path: "dialogs", key: "dialogs", owner: false, view: dialogsView },
  { path: "prompt", key: "prompt", owner: true, view: promptView },
  { path: "admin-chat", key: "adminChat", owner: true, view: adminChatView },
  { path: "embed", key: "embed", owner: true, view: embedView },
  { path: "leads", key: "leads", owner: true, view: leadsView },
  { path: "usage", key: "usage", owner: true, view: usageView },
  { path: "model", key: "model", owner: true, view: modelView },
  { path: "saved", key: "saved", owner: false, view: savedView },
  { path: "files", key: "files", owner: true, view: filesView },
  { path: "galleries", key: "galleries", owner: true, view: galleriesView },
  { path: "documents", key: "documents", owner: true, view: documentsView },
  { path: "telegram", key: "telegram", owner: true, view: telegramView },
  { path: "webhooks", key: "webhooks", owner: true, view: webhooksView },
  { path: "mcp", key: "mcp", owner: true, view: mcpView },
  { path: "api-keys", key: "apiKeys", owner: true, view: apiKeysView },
  { path: "members", key: "members", owner: true, view: membersView },
  { path: "profile", key: "profile", owner: false, view: profileView },
  { path: "platform", key: "platform", owner: false, operator: true, view: platformView },
];
