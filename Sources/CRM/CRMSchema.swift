import SyncCore

/// The entities a field rep's device holds, as CRM-DOMAIN.md describes them.
public enum CRMSchema {
    public static let accountLifecycles = ["prospect", "first_purchase", "repeat", "loyal", "churned"]
    public static let sources = ["campaign", "referral", "web", "trade_show", "cold_call", "other"]
    public static let opportunityStages = ["qualification", "needs_analysis", "proposal", "negotiation", "won", "lost"]
    public static let leadStatuses = ["new", "contacted", "qualified", "disqualified", "converted"]
    public static let activityTypes = ["visit", "call", "email", "meeting"]
    public static let orderStatuses = OrderStatus.allCases.map(\.rawValue)
    public static let ticketStatuses = ["open", "acknowledged", "in_progress", "resolved", "closed"]
    public static let ticketSeverities = ["low", "medium", "high", "critical"]
    public static let ticketCategories = ["complaint", "service_request", "inquiry"]
    public static let currencies = ["CNY", "USD", "EUR", "HKD", "JPY", "GBP"]

    private static let phone = ValueType.string(maxLength: 40)
    private static let email = ValueType.string(maxLength: 254)
    private static let name = ValueType.string(maxLength: 200)
    private static let money = ValueType.decimal

    public static let account = EntitySchema(
        name: "account",
        fields: [
            FieldSchema("name", name, required: true, summary: "customer name"),
            FieldSchema("industry", .text),
            FieldSchema("tier", .enumeration(["A", "B", "C"]), summary: "ABC value class"),
            FieldSchema("classified_on", .date, summary: "the day the classification that set the tier was made as of"),
            FieldSchema("lifecycle", .enumeration(accountLifecycles), summary: "lifecycle stage"),
            FieldSchema("territory", .string(maxLength: 64), required: true, summary: "sales territory; decides who sees the account"),
            FieldSchema("owner", .string(maxLength: 64), summary: "owner rep"),
            FieldSchema("phone", phone),
            FieldSchema("email", email),
            FieldSchema("address", .string(maxLength: 500)),
            FieldSchema("city", .string(maxLength: 100)),
            FieldSchema("source", .enumeration(sources), summary: "source channel"),
            FieldSchema("company_size", .enumeration(["small", "medium", "large", "enterprise"])),
            FieldSchema("credit_limit", money),
            FieldSchema("payment_terms", .enumeration(PaymentTerms.allCases.map(\.rawValue)), summary: "the account's payment terms (付款条件), used for its new invoices"),
            FieldSchema("notes", .longText),
            FieldSchema("tags", .string(maxLength: 64), kind: .set, summary: "segments and tags"),
            FieldSchema("loyalty_points", .integer, kind: .counter, summary: "loyalty points not yet moved into the ledger (legacy; the balance is derived from loyalty_entry; not a rep's to edit)"),
            FieldSchema("samples_given", .integer, kind: .counter, summary: "product samples (样品) reps handed out to the customer, less those returned: each rep adds what they gave, offline"),
        ],
        scope: .territory(field: "territory"),
        listFields: ["name", "city", "tier", "lifecycle", "territory", "owner"],
        summary: "a customer (客户)",
        coupledFields: [["tier", "classified_on"]],
        workflowOwnedFields: accountWorkflowFields
    )

    public static let contact = EntitySchema(
        name: "contact",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("name", name, required: true),
            FieldSchema("title", .text),
            FieldSchema("phone", phone),
            FieldSchema("email", email),
            FieldSchema("preferred_channel", .enumeration(["phone", "email", "wechat", "sms", "visit"])),
            FieldSchema("birthday", .date),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["name", "title", "phone", "email"],
        summary: "a person at a customer (联系人)"
    )

    public static let lead = EntitySchema(
        name: "lead",
        fields: [
            FieldSchema("name", name, required: true, summary: "contact person"),
            FieldSchema("company", name, required: true),
            FieldSchema("phone", phone),
            FieldSchema("email", email),
            FieldSchema("city", .string(maxLength: 100)),
            FieldSchema("industry", .text),
            FieldSchema("source", .enumeration(sources)),
            FieldSchema("campaign", .reference("campaign")),
            FieldSchema("status", .enumeration(leadStatuses), required: true),
            FieldSchema("territory", .string(maxLength: 64), required: true),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("created_on", .date),
            FieldSchema("converted_account", .reference("account")),
            FieldSchema("converted_opportunity", .reference("opportunity")),
            FieldSchema("notes", .longText),
        ],
        scope: .territory(field: "territory"),
        listFields: ["company", "name", "status", "source", "city"],
        summary: "a prospect not yet qualified (线索)",
        workflowOwnedFields: leadWorkflowFields
    )

    public static let opportunity = EntitySchema(
        name: "opportunity",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("title", name, required: true),
            FieldSchema("stage", .enumeration(opportunityStages), required: true),
            FieldSchema("amount", money),
            FieldSchema("currency", .enumeration(currencies)),
            FieldSchema("probability", .int(min: 0, max: 100), summary: "percent"),
            FieldSchema("expected_close", .date),
            FieldSchema("created_on", .date),
            FieldSchema("closed_on", .date),
            FieldSchema("lost_reason", .text),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["title", "stage", "amount", "expected_close", "owner"],
        summary: "a deal in the pipeline (销售机会)",
        coupledFields: [["stage", "probability", "closed_on", "lost_reason"]],
        workflowOwnedFields: opportunityWorkflowFields
    )

    public static let activity = EntitySchema(
        name: "activity",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("contact", .reference("contact")),
            FieldSchema("type", .enumeration(activityTypes), required: true),
            FieldSchema("subject", .text),
            FieldSchema("at", .timestamp, required: true, summary: "when it happened"),
            FieldSchema("duration_minutes", .int(min: 0, max: 24 * 60)),
            FieldSchema("outcome", .string(maxLength: 1000)),
            FieldSchema("next_follow_up", .date),
            FieldSchema("follow_up_done", .bool),
            FieldSchema("latitude", .decimal),
            FieldSchema("longitude", .decimal),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
            FieldSchema("plan", .reference("visit_plan"), summary: "the visit plan this visit was made for (unset: unplanned)"),
        ],
        scope: .account(field: "account"),
        listFields: ["at", "type", "subject", "outcome", "next_follow_up"],
        summary: "a visit, call, email or meeting (拜访 / 跟进)"
    )

    /// The fields of a quote's or an order's line: the same, so a quote line becomes an order
    /// line field for field (`LinePrice` reads them).
    private static func lineFields(of parent: String) -> [FieldSchema] {
        [
            FieldSchema(parent, .reference(parent), required: true),
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("product", .reference("product")),
            FieldSchema("sku", .string(maxLength: 64)),
            FieldSchema("description", .text),
            FieldSchema("quantity", .int(min: 1, max: 1_000_000), required: true),
            FieldSchema("unit_price", money, required: true),
            FieldSchema("discount_percent", .decimal, summary: "0–100"),
            FieldSchema("tax_rate_percent", .decimal, summary: "0–100"),
        ]
    }

    public static let quote = EntitySchema(
        name: "quote",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("opportunity", .reference("opportunity")),
            FieldSchema("number", .string(maxLength: 40), summary: "shared by every version of the quote"),
            FieldSchema("version", .int(min: 1, max: 10_000), summary: "1 for the first; a revision is the previous version + 1"),
            FieldSchema("previous", .reference("quote"), summary: "the version this one revises"),
            FieldSchema("total", money, summary: "frozen from the lines when sent and accepted; a draft's total is derived from its lines"),
            FieldSchema("currency", .enumeration(currencies)),
            FieldSchema("valid_until", .date),
            FieldSchema("status", .enumeration(QuoteStatus.allCases.map(\.rawValue)), required: true, summary: "draft, sent, accepted, rejected, expired or superseded"),
            FieldSchema("sent_on", .date),
            FieldSchema("decided_on", .date, summary: "the day it was accepted, rejected or expired"),
            FieldSchema("order", .reference("order"), summary: "the order its acceptance created"),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["number", "version", "status", "total", "valid_until"],
        summary: "a price offer, one record per version (报价)",
        coupledFields: [["status", "total", "sent_on", "decided_on", "order"]]
    )

    public static let quoteLine = EntitySchema(
        name: "quote_line",
        fields: lineFields(of: "quote"),
        scope: .account(field: "account"),
        listFields: ["sku", "description", "quantity", "unit_price", "discount_percent", "tax_rate_percent"],
        summary: "one line of a quote: a record of its own, so lines added on two devices both stay"
    )

    public static let order = EntitySchema(
        name: "order",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("opportunity", .reference("opportunity")),
            FieldSchema("number", .string(maxLength: 40)),
            FieldSchema("status", .enumeration(orderStatuses), required: true),
            FieldSchema("total", money),
            FieldSchema("currency", .enumeration(currencies)),
            FieldSchema("ordered_on", .date),
            FieldSchema("signed_on", .date),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
            FieldSchema("quote", .reference("quote"), summary: "the accepted quote it came from"),
            FieldSchema("confirmed_on", .date),
            FieldSchema("delivered_on", .date),
            FieldSchema("cancelled_on", .date),
            FieldSchema("cancel_reason", .string(maxLength: 500)),
        ],
        scope: .account(field: "account"),
        listFields: ["number", "status", "total", "ordered_on"],
        summary: "an order or contract (订单 / 合同)",
        coupledFields: [["status", "total", "ordered_on", "signed_on", "confirmed_on", "delivered_on", "cancelled_on", "cancel_reason"]]
    )

    public static let orderLine = EntitySchema(
        name: "order_line",
        fields: lineFields(of: "order"),
        scope: .account(field: "account"),
        listFields: ["sku", "description", "quantity", "unit_price"],
        summary: "one line of an order: quantities edited by two people conflict, they do not add"
    )

    public static let contract = EntitySchema(
        name: "contract",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("title", name, required: true),
            FieldSchema("number", .string(maxLength: 40)),
            FieldSchema("order", .reference("order"), summary: "the order it was signed for"),
            FieldSchema("quote", .reference("quote"), summary: "the accepted quote it was signed from"),
            FieldSchema("status", .enumeration(ContractStatus.allCases.map(\.rawValue)), required: true, summary: "draft, active or terminated; expiry is ends_on passing"),
            FieldSchema("starts_on", .date, required: true),
            FieldSchema("ends_on", .date, required: true, summary: "the last day it runs"),
            FieldSchema("renewal_notice_days", .int(min: 0, max: 365), summary: "how many days before ends_on the renewal is due (default 30)"),
            FieldSchema("value", money),
            FieldSchema("currency", .enumeration(currencies)),
            FieldSchema("payment_terms", .enumeration(PaymentTerms.allCases.map(\.rawValue))),
            FieldSchema("terms", .longText, summary: "the contract terms (合同条款)"),
            FieldSchema("signed_on", .date),
            FieldSchema("terminated_on", .date),
            FieldSchema("previous", .reference("contract"), summary: "the contract this one renews"),
            FieldSchema("renewed_by", .reference("contract"), summary: "the contract that renews this one"),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["title", "status", "starts_on", "ends_on", "value"],
        summary: "a contract with its terms, start, expiry and renewal (合同)",
        coupledFields: [["status", "signed_on", "terminated_on"]]
    )

    public static let invoice = EntitySchema(
        name: "invoice",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("order", .reference("order"), required: true),
            FieldSchema("number", .string(maxLength: 40)),
            FieldSchema("amount", money, required: true, summary: "what the customer owes: the order's total when issued"),
            FieldSchema("currency", .enumeration(currencies)),
            FieldSchema("status", .enumeration(["issued", "void"]), required: true),
            FieldSchema("issued_on", .date, required: true),
            FieldSchema("payment_terms", .enumeration(PaymentTerms.allCases.map(\.rawValue)), required: true),
            FieldSchema("due_on", .date, required: true, summary: "issued_on + the payment terms' days"),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["number", "status", "amount", "issued_on", "due_on"],
        summary: "an invoice for an order (发票); what is still owed is its amount less its payments",
        coupledFields: [["issued_on", "payment_terms", "due_on"]]
    )

    public static let payment = EntitySchema(
        name: "payment",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("invoice", .reference("invoice"), required: true),
            FieldSchema("amount", money, required: true, summary: "more than zero"),
            FieldSchema("received_on", .date, required: true),
            FieldSchema("method", .enumeration(["bank_transfer", "cash", "cheque", "card", "wechat_pay", "alipay"])),
            FieldSchema("reference", .string(maxLength: 100), summary: "the bank or receipt reference"),
            FieldSchema("owner", .string(maxLength: 64)),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["received_on", "amount", "method", "reference"],
        summary: "a payment received against an invoice (回款): one record each, so partial payments from several devices add up"
    )

    public static let ticket = EntitySchema(
        name: "ticket",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("contact", .reference("contact")),
            FieldSchema("title", name, required: true),
            FieldSchema("category", .enumeration(ticketCategories), required: true),
            FieldSchema("severity", .enumeration(ticketSeverities), required: true),
            FieldSchema("status", .enumeration(ticketStatuses), required: true),
            FieldSchema("opened_at", .timestamp),
            FieldSchema("first_response_at", .timestamp),
            FieldSchema("resolved_at", .timestamp),
            FieldSchema("assignee", .string(maxLength: 64)),
            FieldSchema("description", .longText),
            FieldSchema("resolution", .longText),
            FieldSchema("called_back_at", .timestamp, summary: "when the customer was called back after the resolution (回访)"),
        ],
        scope: .account(field: "account"),
        listFields: ["title", "category", "severity", "status", "opened_at"],
        summary: "a complaint or service request (工单)",
        coupledFields: [["status", "opened_at", "first_response_at", "resolved_at"]],
        workflowOwnedFields: ticketWorkflowFields
    )

    public static let survey = EntitySchema(
        name: "survey",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("contact", .reference("contact")),
            FieldSchema("kind", .enumeration(["csat", "nps"]), required: true),
            FieldSchema("score", .int(min: 0, max: 10), required: true, summary: "CSAT 1–5 or NPS 0–10"),
            FieldSchema("comment", .string(maxLength: 2000)),
            FieldSchema("channel", .enumeration(["questionnaire", "phone", "online", "visit"])),
            FieldSchema("answered_at", .timestamp),
        ],
        deletionPolicy: .deleteWins,
        scope: .account(field: "account"),
        listFields: ["kind", "score", "channel", "answered_at"],
        summary: "a satisfaction survey answer (满意度调查)"
    )

    public static let product = EntitySchema(
        name: "product",
        fields: [
            FieldSchema("sku", .string(maxLength: 64), required: true),
            FieldSchema("name", name, required: true),
            FieldSchema("category", .text),
            FieldSchema("unit_price", money, required: true),
            FieldSchema("currency", .enumeration(currencies)),
            FieldSchema("active", .bool),
        ],
        isReadOnly: true,
        scope: .global,
        listFields: ["sku", "name", "unit_price", "currency"],
        summary: "reference data pushed from the server (产品)"
    )

    public static let campaign = EntitySchema(
        name: "campaign",
        fields: [
            FieldSchema("name", name, required: true),
            FieldSchema("channel", .enumeration(["event", "online", "referral"]), required: true),
            FieldSchema("starts_on", .date),
            FieldSchema("ends_on", .date),
            FieldSchema("budget", money),
        ],
        isReadOnly: true,
        scope: .global,
        listFields: ["name", "channel", "starts_on", "ends_on"],
        summary: "a marketing campaign that leads come from (营销活动)"
    )

    /// The KPIs a target can be set for (see `KPITargets`), the loyalty program's settings
    /// (see `LoyaltyProgram`) and the stage probabilities (see `StageProbabilities`).
    public static let targetKPIs = ["responded_within", "resolved_within", "csat_satisfied", "csat_average", "nps", "churn_rate", "retention_rate", "won_amount"]
        + LoyaltyProgram.settings + StageProbabilities.settings

    public static let loyaltyEntry = EntitySchema(
        name: "loyalty_entry",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("kind", .enumeration(LoyaltyMovement.allCases.map(\.rawValue)), required: true, summary: "earn, redeem, grant, return, request, adjust or opening"),
            FieldSchema("points", .int(min: -1_000_000_000, max: 1_000_000_000), required: true, summary: "positive; only an adjustment may be negative"),
            FieldSchema("device", .string(maxLength: 64), summary: "the device (replica id) whose escrow a grant, return, request or redemption moves"),
            FieldSchema("reason", .string(maxLength: 500)),
            FieldSchema("order", .reference("order"), summary: "the order points were earned from"),
            FieldSchema("reward", .string(maxLength: 200), summary: "the reward points were redeemed for"),
            FieldSchema("at", .timestamp),
        ],
        scope: .account(field: "account"),
        listFields: ["kind", "points", "reason", "at"],
        summary: "one movement of an account's loyalty points (积分流水): insert-only"
    )

    public static let reward = EntitySchema(
        name: "reward",
        fields: [
            FieldSchema("name", name, required: true),
            FieldSchema("cost", .int(min: 1, max: 1_000_000_000), required: true, summary: "points it costs"),
            FieldSchema("active", .bool),
        ],
        isReadOnly: true,
        scope: .global,
        listFields: ["name", "cost", "active"],
        summary: "a reward loyalty points are redeemed for, set by admins (积分礼品)"
    )

    public static let target = EntitySchema(
        name: "target",
        fields: [
            FieldSchema("kpi", .enumeration(targetKPIs), required: true, summary: "which KPI"),
            FieldSchema("value", .decimal, required: true, summary: "percent for rates, a score for NPS and CSAT average, an amount for won_amount"),
            FieldSchema("rep", .string(maxLength: 64), summary: "the rep it is for; unset for the whole company"),
            FieldSchema("period", .string(maxLength: 32), summary: "the period it is for (YYYY, YYYY-Qn, YYYY-MM); unset for any"),
            FieldSchema("currency", .enumeration(currencies), summary: "the currency of a won_amount quota (default CNY)"),
        ],
        isReadOnly: true,
        scope: .global,
        listFields: ["kpi", "value", "rep", "period"],
        summary: "a KPI target or sales quota of the company or of a rep, set by admins (目标)"
    )

    /// The whole CRM schema.
    public static let schema = Schema(entities: [
        account, contact, lead, opportunity, activity, quote, quoteLine, order, orderLine, contract, invoice, payment, ticket, survey, product, campaign, target,
        loyaltyEntry, reward, visitPlan,
    ])
}
