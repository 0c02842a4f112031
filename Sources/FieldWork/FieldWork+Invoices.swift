import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// An invoice to issue for an order.
    public struct NewInvoice: Sendable {
        /// The order: an id, a unique prefix or its number.
        public var order: String
        /// The invoice number (e.g. INV-2026-0088).
        public var number: String?
        /// The payment terms (default: the account's, else net 30).
        public var terms: PaymentTerms?
        /// When it was issued (its day is `issued_on`; default now).
        public var at: FieldTime?
        /// A part of the order's total (a deposit, a delivery of several); default: all that
        /// the order's live invoices do not cover yet.
        public var amount: Amount?

        public init(order: String, number: String? = nil, terms: PaymentTerms? = nil, at: FieldTime? = nil, amount: Amount? = nil) {
            self.order = order
            self.number = number
            self.terms = terms
            self.at = at
            self.amount = amount
        }
    }

    /// Issues an invoice of a confirmed or delivered order: its amount is what the order's
    /// total from its lines leaves after its live (not void) invoices, or the part `amount`
    /// names; its due day the invoice day plus the payment terms' days (the CRM rules keep
    /// `due_on` so when either changes later). An order invoiced in full takes no further
    /// invoice (`invalid_transition`), nor does an order not yet confirmed or cancelled; a part
    /// beyond what is left, or not above zero, is refused (`invalid_value`).
    public func issueInvoice(_ new: NewInvoice) throws -> AppliedEdit {
        let orderSchema = try bench.entity("order"), invoiceSchema = try bench.entity("invoice")
        let order = try bench.liveRecord(orderSchema, new.order)
        let label = RecordLabel.of(order, schema: bench.schema)
        guard let status = order.value("status").stringValue.flatMap(OrderStatus.init(rawValue:)), status.isRevenue else {
            throw SyncCore.ValidationError(.invalidTransition, .orderNotInvoiceable, ["order": label, "status": order.value("status")])
        }
        let existing = try bench.store.records(invoiceSchema.name, matching: [.equals("order", .string(order.id))], limit: Int.max)
            .filter { !$0.deleted && $0.value("status") != .string("void") }
        let lines = try bench.store.records("order_line", matching: [.equals("order", .string(order.id))], limit: Int.max).filter { !$0.deleted }
        let orderTotal = lines.isEmpty ? order.value("total") : .string(try Self.total(lines.compactMap { LinePrice($0.value) }))
        guard let totalText = orderTotal.stringValue, let total = Amount(totalText) else {
            throw SyncCore.ValidationError(.missingRequiredField, .orderNothingToInvoice, ["order": label])
        }
        let invoiced = existing.compactMap { $0.value("amount").stringValue.flatMap(Amount.init) }.sum()
        let left = total - invoiced
        guard left > .zero else {
            let names = existing.map { "\(RecordLabel.of($0, schema: bench.schema)) (\($0.id.prefix(8)))" }.joined(separator: ", ")
            throw SyncCore.ValidationError(.invalidTransition, .orderInvoicedInFull, ["order": label, "invoices": names])
        }
        let part = new.amount ?? left
        guard part > .zero, part <= left else {
            throw SyncCore.ValidationError(
                .invalidValue, part > .zero ? .invoiceBeyondOrder : .invoiceNotPositive,
                ["order": label, "left": left.formatted(), "total": total.formatted(), "part": part.formatted()]
            )
        }
        let amount = Value.string(part.description)
        let account = try bench.liveRecord(try bench.entity("account"), order.value("account").stringValue ?? "")
        let terms = new.terms ?? account.value("payment_terms").stringValue.flatMap(PaymentTerms.init(rawValue:)) ?? .standard
        let issued = (new.at ?? .now()).day
        var operations: [LocalOperation] = [
            .set("account", .string(account.id)), .set("order", .string(order.id)), .set("amount", amount), .set("status", .string("issued")),
            .set("issued_on", .string(issued.description)), .set("payment_terms", .string(terms.rawValue)),
            .set("due_on", .string(terms.dueDay(issuedOn: issued).description)),
        ]
        if order.value("currency") != .null { operations.append(.set("currency", order.value("currency"))) }
        if let number = new.number {
            let editor = bench.editor(invoiceSchema, current: nil)
            operations.append(.set("number", try editor.value(of: try editor.field("number"), number)))
        }
        if let user = try bench.user() { operations.append(.set("owner", .string(user))) }
        return try bench.apply(LocalEdit.create(invoiceSchema.name, operations).at(new.at?.timestamp))
    }

    /// Voids an issued invoice that no payment was recorded against (a wrong amount, title or
    /// terms): status `void`, the day (of `at`, default now) and `reason` added to its notes.
    /// A void invoice owes nothing and takes no payment, and its order can be invoiced again.
    /// Refused with `invalid_transition` for an invoice already void or one with payments (its
    /// money is real: record a credit instead), and `missing_required_field` without a reason.
    public func voidInvoice(_ invoiceID: String, reason: String, at: FieldTime? = nil) throws -> AppliedEdit {
        let invoiceSchema = try bench.entity("invoice")
        let invoice = try bench.liveRecord(invoiceSchema, invoiceID)
        let label = RecordLabel.of(invoice, schema: bench.schema)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else {
            throw SyncCore.ValidationError(.missingRequiredField, .voidNeedsReason, ["invoice": label])
        }
        guard invoice.value("status") != .string("void") else {
            throw SyncCore.ValidationError(.invalidTransition, .invoiceAlreadyVoid, ["invoice": label])
        }
        let payments = try bench.store.records("payment", matching: [.equals("invoice", .string(invoice.id))], limit: Int.max).filter { !$0.deleted }
        guard payments.isEmpty else {
            throw SyncCore.ValidationError(.invalidTransition, .invoiceHasPayments, ["invoice": label, "payments": payments.count])
        }
        let day = (at ?? .now()).day
        let notes = invoice.value("notes").stringValue ?? ""
        let entry = "作废 void \(day): \(why)"
        return try bench.apply(LocalEdit.update(invoiceSchema.name, id: invoice.id, [
            .set("status", .string("void")), .set("notes", .string(notes.isEmpty ? entry : notes + "\n" + entry)),
        ]).at(at?.timestamp))
    }

    /// A payment received against an invoice.
    public struct PaymentReceipt: Sendable {
        /// The invoice: an id, a unique prefix or its number.
        public var invoice: String
        public var amount: Amount
        /// bank_transfer, cash, cheque, card, wechat_pay or alipay.
        public var method: String?
        /// The bank or receipt reference.
        public var reference: String?
        /// When it was received (its day is `received_on`; default now).
        public var at: FieldTime?

        public init(invoice: String, amount: Amount, method: String? = nil, reference: String? = nil, at: FieldTime? = nil) {
            self.invoice = invoice
            self.amount = amount
            self.method = method
            self.reference = reference
            self.at = at
        }
    }

    /// Records a payment as a record of its own, so partial payments recorded on several
    /// devices offline all count once synced. Refused (`invalid_value`) when it is not more
    /// than zero or more than this device knows is still owed; a void invoice takes none
    /// (`invalid_transition`).
    public func recordPayment(_ receipt: PaymentReceipt) throws -> AppliedEdit {
        let invoiceSchema = try bench.entity("invoice"), paymentSchema = try bench.entity("payment")
        let invoice = try bench.liveRecord(invoiceSchema, receipt.invoice)
        let label = RecordLabel.of(invoice, schema: bench.schema)
        guard invoice.value("status") != .string("void") else {
            throw SyncCore.ValidationError(.invalidTransition, .invoiceVoidNoPayments, ["invoice": label])
        }
        let owed = try outstanding(of: invoice)
        guard receipt.amount > .zero else {
            throw SyncCore.ValidationError(.invalidValue, .paymentAmountNotPositive, ["amount": receipt.amount])
        }
        guard receipt.amount <= owed else {
            throw SyncCore.ValidationError(.invalidValue, .paymentBeyondOwed, ["invoice": label, "owed": owed.formatted(), "amount": receipt.amount.formatted()])
        }
        let editor = bench.editor(paymentSchema, current: nil)
        var operations: [LocalOperation] = [
            .set("account", invoice.value("account")), .set("invoice", .string(invoice.id)),
            .set("amount", try editor.value(of: try editor.field("amount"), receipt.amount.description)),
            .set("received_on", .string((receipt.at ?? .now()).day.description)),
        ]
        if let method = receipt.method { operations.append(.set("method", try editor.value(of: try editor.field("method"), method))) }
        if let reference = receipt.reference { operations.append(.set("reference", .string(reference))) }
        if let user = try bench.user() { operations.append(.set("owner", .string(user))) }
        return try bench.apply(LocalEdit.create(paymentSchema.name, operations).at(receipt.at?.timestamp))
    }

    /// What is still owed on an invoice as this device knows it: its amount less every
    /// payment recorded against it.
    public func outstanding(of invoice: RecordSnapshot) throws -> Amount {
        let payments = try bench.store.records("payment", matching: [.equals("invoice", .string(invoice.id))], limit: Int.max).filter { !$0.deleted }
        let record = { (snapshot: RecordSnapshot) in CRMDataSet.Record(entity: snapshot.entity, id: snapshot.id, values: snapshot.values) }
        return CRMDataSet.Invoice(record(invoice), payments: payments.map { CRMDataSet.Payment(record($0)) }).outstanding()
    }

    /// The account's orders, revenue, open quotes, contracts and receivables as of a day
    /// (default: today in China time), from every record on the device.
    public func statement(of accountID: String, asOf: CalendarDay? = nil) throws -> AccountStatement {
        let account = try bench.liveRecord(try bench.entity("account"), accountID)
        let day = asOf ?? DeviceReports.now().day(utcOffsetMinutes: ReportCatalog.defaultUTCOffsetMinutes)
        return AccountStatement(try DeviceReports(store: bench.store).dataSet(), account: account.id, asOf: day)
    }
}
