import Foundation
import SyncCore

extension CRMDataSet {
    /// A customer (客户).
    public struct Account: Hashable, Sendable {
        public var id: RecordID
        public var name: String
        public var industry: String?
        /// A, B or C.
        public var tier: String?
        /// prospect, first_purchase, repeat, loyal or churned.
        public var lifecycle: String?
        public var territory: String?
        public var owner: String?
        public var phone: String?
        public var email: String?
        public var city: String?
        public var tags: [String]
        public var loyaltyPoints: Int64
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            name = record.text("name") ?? ""
            industry = record.text("industry")
            tier = record.text("tier")
            lifecycle = record.text("lifecycle")
            territory = record.text("territory")
            owner = record.text("owner")
            phone = record.text("phone")
            email = record.text("email")
            city = record.text("city")
            tags = record.members("tags")
            loyaltyPoints = record.integer("loyalty_points") ?? 0
            self.isUnsynced = isUnsynced
        }
    }

    /// A person at a customer (联系人).
    public struct Contact: Hashable, Sendable {
        public var id: RecordID
        public var account: RecordID?
        public var name: String
        public var phone: String?
        public var email: String?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            name = record.text("name") ?? ""
            phone = record.text("phone")
            email = record.text("email")
            self.isUnsynced = isUnsynced
        }
    }

    /// A prospect not yet qualified (线索).
    public struct Lead: Hashable, Sendable {
        public var id: RecordID
        public var name: String
        public var company: String
        /// new, contacted, qualified, disqualified or converted.
        public var status: String
        public var source: String?
        public var campaign: RecordID?
        public var owner: String?
        public var territory: String?
        public var city: String?
        public var phone: String?
        public var email: String?
        public var createdOn: CalendarDay?
        public var convertedAccount: RecordID?
        public var convertedOpportunity: RecordID?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            name = record.text("name") ?? ""
            company = record.text("company") ?? ""
            status = record.text("status") ?? ""
            source = record.text("source")
            campaign = record.text("campaign")
            owner = record.text("owner")
            territory = record.text("territory")
            city = record.text("city")
            phone = record.text("phone")
            email = record.text("email")
            createdOn = record.day("created_on")
            convertedAccount = record.text("converted_account")
            convertedOpportunity = record.text("converted_opportunity")
            self.isUnsynced = isUnsynced
        }

        /// True for a lead that passed qualification: qualified, or converted since.
        public var isQualified: Bool { status == "qualified" || status == "converted" }
    }

    /// A marketing campaign (营销活动), reference data.
    public struct Campaign: Hashable, Sendable {
        public var id: RecordID
        public var name: String
        public var channel: String?

        public init(_ record: Record) {
            id = record.id
            name = record.text("name") ?? ""
            channel = record.text("channel")
        }
    }

    /// A deal in the pipeline (销售机会).
    public struct Opportunity: Hashable, Sendable {
        public var id: RecordID
        public var account: RecordID?
        public var title: String
        /// The stage, nil when the stored stage is not one this build knows.
        public var stage: OpportunityStage?
        public var amount: Amount?
        public var currency: String?
        /// The stored probability in percent, nil when unset.
        public var probability: Int64?
        public var expectedClose: CalendarDay?
        public var createdOn: CalendarDay?
        public var closedOn: CalendarDay?
        public var owner: String?
        public var isUnsynced: Bool
        /// The company's stage probabilities, for a deal with no probability of its own.
        public var stageProbabilities: StageProbabilities

        public init(_ record: Record, isUnsynced: Bool = false, stageProbabilities: StageProbabilities = .standard) {
            id = record.id
            account = record.text("account")
            self.stageProbabilities = stageProbabilities
            title = record.text("title") ?? ""
            stage = record.text("stage").flatMap(OpportunityStage.init(rawValue:))
            amount = record.amount("amount")
            currency = record.text("currency")
            probability = record.integer("probability")
            expectedClose = record.day("expected_close")
            createdOn = record.day("created_on")
            closedOn = record.day("closed_on")
            owner = record.text("owner")
            self.isUnsynced = isUnsynced
        }

        /// The win probability in percent: the stored one, or the stage's in the company's table.
        public var effectiveProbability: Int64 {
            min(100, max(0, probability ?? stage.map { stageProbabilities[$0] } ?? 0))
        }
    }

    /// A visit, call, e-mail or meeting (拜访 / 跟进).
    public struct Activity: Hashable, Sendable {
        public var id: RecordID
        public var account: RecordID?
        public var contact: RecordID?
        /// visit, call, email or meeting.
        public var type: String
        public var subject: String?
        public var at: Instant?
        public var owner: String?
        public var nextFollowUp: CalendarDay?
        public var isFollowUpDone: Bool
        /// The visit plan it was made for; nil for an unplanned activity.
        public var plan: RecordID?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            contact = record.text("contact")
            type = record.text("type") ?? ""
            subject = record.text("subject")
            at = record.instant("at")
            owner = record.text("owner")
            nextFollowUp = record.day("next_follow_up")
            isFollowUpDone = record.bool("follow_up_done") ?? false
            plan = record.text("plan")
            self.isUnsynced = isUnsynced
        }
    }

    /// One line of an order.
    public struct OrderLine: Hashable, Sendable {
        public var id: RecordID
        public var order: RecordID?
        public var sku: String?
        public var description: String?
        public var quantity: Int64
        public var unitPrice: Amount?
        /// Percent off, 0–100 (a line from an accepted quote may have one).
        public var discountPercent: Amount
        /// Tax percent on the net amount.
        public var taxRatePercent: Amount
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            order = record.text("order")
            sku = record.text("sku")
            description = record.text("description")
            quantity = record.integer("quantity") ?? 0
            unitPrice = record.amount("unit_price")
            discountPercent = record.amount("discount_percent") ?? .zero
            taxRatePercent = record.amount("tax_rate_percent") ?? .zero
            self.isUnsynced = isUnsynced
        }

        /// What the customer pays for the line (`LinePrice.gross`).
        public var total: Amount? {
            unitPrice.map { LinePrice(quantity: quantity, unitPrice: $0, discountPercent: discountPercent, taxRatePercent: taxRatePercent).gross }
        }
    }

    /// An order or contract (订单 / 合同) with its lines.
    public struct Order: Hashable, Sendable {
        /// The statuses of an order that counts as a purchase: submitted, confirmed, delivered
        /// (not draft, not cancelled).
        public static let purchaseStatuses: Set<String> = ["submitted", "confirmed", "delivered"]

        public var id: RecordID
        public var account: RecordID?
        public var number: String?
        public var status: String
        /// The stored total, or the sum of the lines' quantity × unit price when no total is
        /// stored; nil when neither is known.
        public var total: Amount?
        public var currency: String?
        public var orderedOn: CalendarDay?
        public var signedOn: CalendarDay?
        public var owner: String?
        /// The order's lines, sorted by id.
        public var lines: [OrderLine]
        public var isUnsynced: Bool

        public init(_ record: Record, lines: [OrderLine] = [], isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            number = record.text("number")
            status = record.text("status") ?? ""
            let lineTotals = lines.compactMap(\.total)
            total = record.amount("total") ?? (lines.isEmpty || lineTotals.count < lines.count ? nil : lineTotals.sum())
            currency = record.text("currency")
            orderedOn = record.day("ordered_on")
            signedOn = record.day("signed_on")
            owner = record.text("owner")
            self.lines = lines.sorted { $0.id < $1.id }
            self.isUnsynced = isUnsynced
        }

        /// True for an order that counts as a purchase (see `purchaseStatuses`).
        public var isPurchase: Bool { Self.purchaseStatuses.contains(status) }

        /// The day the purchase happened: `ordered_on`, or `signed_on` when no order day is set.
        public var day: CalendarDay? { orderedOn ?? signedOn }
    }

    /// A complaint or service request (工单).
    public struct Ticket: Hashable, Sendable {
        public var id: RecordID
        public var account: RecordID?
        public var title: String
        /// complaint, service_request or inquiry.
        public var category: String
        /// low, medium, high or critical.
        public var severity: String
        public var status: TicketStatus?
        public var openedAt: Instant?
        public var firstResponseAt: Instant?
        public var resolvedAt: Instant?
        /// The call-back to the customer after the resolution (回访).
        public var calledBackAt: Instant?
        public var assignee: String?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            title = record.text("title") ?? ""
            category = record.text("category") ?? ""
            severity = record.text("severity") ?? ""
            status = record.text("status").flatMap(TicketStatus.init(rawValue:))
            openedAt = record.instant("opened_at")
            firstResponseAt = record.instant("first_response_at")
            resolvedAt = record.instant("resolved_at")
            calledBackAt = record.instant("called_back_at")
            assignee = record.text("assignee")
            self.isUnsynced = isUnsynced
        }
    }

    /// A satisfaction survey answer (满意度调查).
    public struct Survey: Hashable, Sendable {
        public var id: RecordID
        public var account: RecordID?
        /// csat or nps.
        public var kind: String
        public var score: Int64?
        public var channel: String?
        public var answeredAt: Instant?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            kind = record.text("kind") ?? ""
            score = record.integer("score")
            channel = record.text("channel")
            answeredAt = record.instant("answered_at")
            self.isUnsynced = isUnsynced
        }
    }

    /// A KPI target or sales quota (目标): the company's when `rep` is nil.
    public struct Target: Hashable, Sendable {
        public var id: RecordID
        public var kpi: String
        public var value: Amount
        public var rep: String?
        public var period: String?
        public var currency: String?

        /// nil when the record has no KPI or value.
        public init?(_ record: Record) {
            guard let kpi = record.text("kpi"), let value = record.amount("value") else { return nil }
            id = record.id
            self.kpi = kpi
            self.value = value
            rep = record.text("rep")
            period = record.text("period")
            currency = record.text("currency")
        }
    }
}

