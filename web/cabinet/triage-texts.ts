/** Cabinet texts of dialog triage (unread, archive, delete, date filters), in the page's locale. */
import { dictionary } from "../shared/i18n.ts";

const en = {
  unreadBadge: "New",
  unreadOnly: "Unread only",
  showArchived: "Archived",
  dateFrom: "From",
  dateTo: "To",
  archive: "Archive",
  unarchive: "Unarchive",
  archivedOk: "Archived.",
  unarchivedOk: "Back in the list.",
  deleteDialog: "Delete",
  confirmDeleteDialog:
    "Delete this dialog with all its messages? This cannot be undone. Its leads stay (without the link).",
  dialogDeleted: "Dialog deleted.",
  archivedBadge: "Archived",
};

const ru: Record<keyof typeof en, string> = {
  unreadBadge: "Новый",
  unreadOnly: "Только непрочитанные",
  showArchived: "Архив",
  dateFrom: "С",
  dateTo: "По",
  archive: "В архив",
  unarchive: "Из архива",
  archivedOk: "Перенесено в архив.",
  unarchivedOk: "Возвращено в список.",
  deleteDialog: "Удалить",
  confirmDeleteDialog:
    "Удалить этот диалог со всеми сообщениями? Это нельзя отменить. Заявки из него останутся (без ссылки на диалог).",
  dialogDeleted: "Диалог удалён.",
  archivedBadge: "В архиве",
};

/** A triage text of the cabinet in the page's locale. */
export const tt = dictionary(en, ru);
