/**
 * Members (owner): everyone registered in the tenant, with their role switchable (the last owner stays),
 * and the account mail that could not be delivered to them.
 */
import type { SchemaMember } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { View } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine, table } from "../ui.ts";
import { mailDeliveryPanel } from "./mail-delivery-panel.ts";

type Member = SchemaMember;

/** `/my/members`. */
export const membersView: View = async (ctx, main) => {
  const status = statusLine();
  const holder = h("div");
  const reload = async () => {
    const { items } = await ctx.call<{ items: Member[] }>("/me/members");
    replace(
      holder,
      table(
        ct("members"),
        [ct("email"), ct("name"), ct("role"), ct("confirmed"), ct("created")],
        items.map((m) => {
          const role = h(
            "select",
            { "aria-label": `${ct("role")}: ${m.email}` },
            h("option", { value: "owner" }, ct("owner")),
            h("option", { value: "member" }, ct("member")),
          );
          role.value = m.role;
          role.addEventListener("change", async () => {
            try {
              await ctx.call(`/me/members/${m.id}`, { method: "PATCH", body: { role: role.value } });
              status.ok(ct("saved_ok"));
            } catch (err) {
              role.value = m.role;
              status.error(err);
            }
          });
          return [
            m.email,
            m.name ?? "—",
            role,
            m.confirmed ? ct("yes") : ct("no"),
            formatDate(m.created_at, getLocale()),
          ];
        }),
      ),
    );
  };
  await reload();
  replace(main, status.el, holder, mailDeliveryPanel(ctx));
};
