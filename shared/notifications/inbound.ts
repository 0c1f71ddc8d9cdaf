/**
 * What an inbound WhatsApp message does, once its signature is verified (`webhook.ts`):
 * stored once per Twilio `MessageSid`, the sender's 24-hour window opened, the command
 * carried out, the French answer stored beside it and returned.
 *
 * The sender is found by number among `notification_recipients`, across tenants (the
 * service path: every query below filters by the sender's own rows or tenant). A number
 * may be a recipient of several shops; the message is filed under the one we messaged
 * most recently (latest `notification_outbox.created_at`; active rows first, then the
 * newest row), since a reply most likely answers our last message. STOP, START and the
 * 24-hour window concern the person, so they apply to every row with that number;
 * `OK <n>` looks for alert n among all the sender's (active) shops; `STOCK` answers for
 * the shop the message is filed under.
 *
 * @module
 */
import type { Tx } from "../db/client.ts";
import { withServiceTx } from "../db/tx.ts";
import type { Sql } from "../db/client.ts";
import { type CommandKind, parseCommand } from "./commands.ts";
import {
  HELP_TEXT,
  OK_USAGE_TEXT,
  okText,
  START_TEXT,
  STOCK_USAGE_TEXT,
  stockNotFoundText,
  stockText,
  STOP_TEXT,
  UNKNOWN_SENDER_TEXT,
  UNKNOWN_TEXT,
} from "./replies.ts";
import type { E164 } from "./whatsapp/phone.ts";

/** An inbound message as Twilio posted it (signature already verified). */
export type InboundMessage = { messageSid: string; from: E164; body: string };

/** What was stored and what to answer. */
export type InboundOutcome = {
  command: CommandKind;
  reply: string;
  tenantId: string | null;
  /** True when this MessageSid was already stored (a redelivered webhook). */
  duplicate: boolean;
};

type Sender = { id: string; tenant_id: string; user_id: string | null; active: boolean };

/** Longest body stored (the column's limit); WhatsApp texts are shorter. */
const MAX_BODY = 4096;
/** Longest STOCK query looked up. */
const MAX_QUERY = 100;
/** Window of the average daily sales behind days of cover. */
const SALES_WINDOW_DAYS = 28;

/** Stores and answers one inbound message, once per MessageSid. */
export async function handleInbound(sql: Sql, message: InboundMessage): Promise<InboundOutcome> {
  return await withServiceTx(sql, async (tx) => {
    const stored = await storedOutcome(tx, message.messageSid);
    if (stored) return stored;

    const senders = await tx<Sender[]>`
      select r.id, r.tenant_id, r.user_id, r.active
      from public.notification_recipients r
      left join lateral (
        select max(o.created_at) as last_sent from public.notification_outbox o
        where o.tenant_id = r.tenant_id and o.recipient_id = r.id
      ) o on true
      where r.phone_e164 = ${message.from}
      order by r.active desc, o.last_sent desc nulls last, r.created_at desc, r.id`;
    const sender = senders[0];
    const command = parseCommand(message.body);

    // Claim the MessageSid first: a concurrent delivery of the same message waits here
    // for this transaction, then finds the row and answers the stored reply.
    const [claimed] = await tx<{ id: string }[]>`
      insert into public.inbound_messages (tenant_id, recipient_id, from_e164, body, provider_sid,
        command)
      values (${sender?.tenant_id ?? null}, ${sender?.id ?? null}, ${message.from},
        ${message.body.slice(0, MAX_BODY)}, ${message.messageSid}, ${command.kind})
      on conflict (provider_sid) do nothing
      returning id::text`;
    if (!claimed) {
      const again = await storedOutcome(tx, message.messageSid);
      if (again) return again;
      throw new Error(`inbound message ${message.messageSid} neither inserted nor found`);
    }

    let reply: string;
    if (!sender) {
      reply = UNKNOWN_SENDER_TEXT;
    } else {
      await tx`update public.notification_recipients set last_inbound_at = now()
        where phone_e164 = ${message.from}`;
      const active = senders.filter((s) => s.active);
      switch (command.kind) {
        case "stop":
          await tx`update public.notification_recipients
            set opted_in = false, opted_out_at = now()
            where phone_e164 = ${message.from} and (opted_in or opted_out_at is null)`;
          reply = STOP_TEXT;
          break;
        case "start":
          // Consent given by the person themself, from their own number.
          await tx`update public.notification_recipients
            set opted_in = true, opted_in_at = now(), opted_out_at = null
            where phone_e164 = ${message.from} and not opted_in`;
          reply = START_TEXT;
          break;
        case "ok":
          reply = command.alertId === undefined
            ? OK_USAGE_TEXT
            : active.length === 0
            ? UNKNOWN_SENDER_TEXT
            : await acknowledge(tx, active, command.alertId);
          break;
        case "stock":
          reply = command.query === ""
            ? STOCK_USAGE_TEXT
            : !sender.active
            ? UNKNOWN_SENDER_TEXT
            : await stockReply(tx, sender.tenant_id, command.query.slice(0, MAX_QUERY));
          break;
        case "help":
          reply = HELP_TEXT;
          break;
        case "unknown":
          reply = UNKNOWN_TEXT;
          break;
      }
    }
    await tx`update public.inbound_messages set reply = ${reply} where id = ${claimed.id}`;
    return { command: command.kind, reply, tenantId: sender?.tenant_id ?? null, duplicate: false };
  });
}

async function storedOutcome(tx: Tx, messageSid: string): Promise<InboundOutcome | undefined> {
  const [row] = await tx<
    { command: CommandKind | null; reply: string | null; tenant_id: string | null }[]
  >`
    select command, reply, tenant_id from public.inbound_messages where provider_sid = ${messageSid}`;
  if (!row) return undefined;
  return {
    command: row.command ?? "unknown",
    reply: row.reply ?? HELP_TEXT,
    tenantId: row.tenant_id,
    duplicate: true,
  };
}

/** OK <n>: acknowledges alert n if it belongs to one of the sender's shops. */
async function acknowledge(tx: Tx, senders: Sender[], alertId: number): Promise<string> {
  const tenants = senders.map((s) => s.tenant_id);
  const [alert] = await tx<{ tenant_id: string; status: string }[]>`
    select a.tenant_id, a.status::text as status from public.alerts a
    where a.id = ${alertId} and a.tenant_id = any(${tenants}::uuid[])`;
  if (!alert) return okText.notFound(alertId);
  if (alert.status === "resolved") return okText.resolved(alertId);
  if (alert.status === "acknowledged") return okText.alreadyAcknowledged(alertId);
  const actor = senders.find((s) => s.tenant_id === alert.tenant_id)?.user_id ?? null;
  try {
    // A savepoint: app.change_alert raises (404/409) if the alert changed meanwhile, and
    // the message must still be stored with its answer.
    await tx.savepoint((sp) =>
      sp`select app.change_alert(${alert.tenant_id}::uuid, ${alertId}::bigint, 'acknowledge',
        ${actor}::uuid, 'whatsapp')`
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "DG409") return okText.resolved(alertId);
    if (code === "DG404") return okText.notFound(alertId);
    throw error;
  }
  return okText.acknowledged(alertId);
}

type Match = {
  id: string;
  name: string;
  sku: string;
  unit: string;
  reorder_point: number;
  rank: number;
  matches: number;
};

/**
 * STOCK <q>: the best-matching active product of the shop — exact reference first, then
 * exact name, name starting with q, name containing q, name containing every word of q,
 * reference containing q (names compared folded: no accents, no case) — with its total
 * stock and days of cover (stock ÷ forecast daily demand, else ÷ average daily sales
 * over the last 28 days).
 */
async function stockReply(tx: Tx, tenantId: string, query: string): Promise<string> {
  const [best] = await tx<Match[]>`
    with q as (
      select app.fold_search(${query}) as folded, lower(${query}) as raw
    ), ranked as (
      select p.id, p.name, p.sku, p.unit, p.reorder_point,
        case
          when lower(p.sku) = q.raw then 0
          when p.name_search = q.folded then 1
          when p.name_search like substr(app.search_pattern(q.folded), 2) then 2
          when p.name_search like app.search_pattern(q.folded) then 3
          when not exists (
            select 1 from unnest(regexp_split_to_array(q.folded, '[[:space:]]+')) w
            where w <> '' and p.name_search not like app.search_pattern(w)
          ) then 4
          when lower(p.sku) like app.search_pattern(q.raw) then 5
        end as rank
      from public.products p, q
      where p.tenant_id = ${tenantId} and p.active and p.archived_at is null
    )
    select id, name, sku, unit, reorder_point, rank, count(*) over ()::int as matches
    from ranked where rank is not null
    order by rank, char_length(name), name, id
    limit 1`;
  if (!best) return stockNotFoundText(query);

  const [facts] = await tx<{ stock: number; forecast: number | null; sold: number }[]>`
    select
      coalesce((select sum(l.quantity) from public.stock_levels l
        where l.tenant_id = ${tenantId} and l.product_id = ${best.id}), 0)::float8 as stock,
      (select sum(f.daily_demand) from public.forecasts f
        where f.tenant_id = ${tenantId} and f.product_id = ${best.id})::float8 as forecast,
      coalesce((select -sum(m.quantity) from public.stock_movements m
        where m.tenant_id = ${tenantId} and m.product_id = ${best.id} and m.kind = 'sale'
          and m.occurred_at >= now() - make_interval(days => ${SALES_WINDOW_DAYS})), 0)::float8
        as sold`;
  const daily = facts.forecast !== null && facts.forecast > 0
    ? facts.forecast
    : facts.sold / SALES_WINDOW_DAYS;
  return stockText({
    name: best.name,
    sku: best.sku,
    unit: best.unit,
    stock: facts.stock,
    reorderPoint: best.reorder_point,
    daysOfCover: daily > 0 ? facts.stock / daily : null,
    otherMatches: best.rank <= 1 ? 0 : best.matches - 1,
  });
}
