import SyncCore

extension CRMDataSet {
    /// A payment received against an invoice (回款).
    public struct Payment: Hashable, Sendable {
        public var id: RecordID
        public var invoice: RecordID?
        public var amount: Amount
        public var receivedOn: CalendarDay?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            invoice = record.text("invoice")
            amount = record.amount("amount") ?? .zero
            receivedOn = record.day("received_on")
            self.isUnsynced = isUnsynced
        }
    }

    /// An invoice (发票) with the payments received against it.
    public struct Invoice: Hashable, Sendable {
        public var id: RecordID
        public var account: RecordID?
        public var order: RecordID?
        public var number: String?
        public var amount: Amount
        public var currency: String?
        /// issued or void; a void invoice is owed nothing.
        public var status: String
        public var issuedOn: CalendarDay?
        public var dueOn: CalendarDay?
        public var owner: String?
        /// The payments against it, sorted by id.
        public var payments: [Payment]
        public var isUnsynced: Bool

        public init(_ record: Record, payments: [Payment] = [], isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            order = record.text("order")
            number = record.text("number")
            amount = record.amount("amount") ?? .zero
            currency = record.text("currency")
            status = record.text("status") ?? ""
            issuedOn = record.day("issued_on")
            dueOn = record.day("due_on")
            owner = record.text("owner")
            self.payments = payments.sorted { $0.id < $1.id }
            self.isUnsynced = isUnsynced
        }

        /// True unless the invoice was voided.
        public var isLive: Bool { status != "void" }

        /// What was paid by the end of `day` (every payment when nil): the sum of the payments,
        /// each its own record, so partial payments recorded on several devices all count.
        public func paid(asOf day: CalendarDay? = nil) -> Amount {
            payments.filter { payment in
                guard let day, let received = payment.receivedOn else { return true }
                return received <= day
            }.map(\.amount).sum()
        }

        /// What is still owed at the end of `day`: the amount less the payments (zero for a
        /// void invoice; negative when overpaid).
        public func outstanding(asOf day: CalendarDay? = nil) -> Amount {
            isLive ? amount - paid(asOf: day) : .zero
        }
    }

    /// A contract (合同).
    public struct Contract: Hashable, Sendable {
        /// The renewal notice when a contract gives none.
        public static let defaultRenewalNoticeDays = 30

        public var id: RecordID
        public var account: RecordID?
        public var title: String
        public var number: String?
        public var status: String
        public var startsOn: CalendarDay?
        public var endsOn: CalendarDay?
        public var renewalNoticeDays: Int
        public var value: Amount?
        public var currency: String?
        public var renewedBy: RecordID?
        public var owner: String?
        public var isUnsynced: Bool

        public init(_ record: Record, isUnsynced: Bool = false) {
            id = record.id
            account = record.text("account")
            title = record.text("title") ?? ""
            number = record.text("number")
            status = record.text("status") ?? ""
            startsOn = record.day("starts_on")
            endsOn = record.day("ends_on")
            renewalNoticeDays = record.integer("renewal_notice_days").map(Int.init) ?? Self.defaultRenewalNoticeDays
            value = record.amount("value")
            currency = record.text("currency")
            renewedBy = record.text("renewed_by")
            owner = record.text("owner")
            self.isUnsynced = isUnsynced
        }

        /// The day its renewal is due: `renewalNoticeDays` before it ends.
        public var renewalDueOn: CalendarDay? { endsOn?.adding(days: -renewalNoticeDays) }
    }

    /// Invoices with their payments, from the data set's records.
    static func invoices(_ invoices: [Record], payments: [Record], isUnsynced: (Record) -> Bool) -> [Invoice] {
        var byInvoice: [RecordID: [Payment]] = [:]
        for record in payments {
            let payment = Payment(record, isUnsynced: isUnsynced(record))
            if let invoice = payment.invoice { byInvoice[invoice, default: []].append(payment) }
        }
        return invoices.map { Invoice($0, payments: byInvoice[$0.id] ?? [], isUnsynced: isUnsynced($0)) }
    }
}
