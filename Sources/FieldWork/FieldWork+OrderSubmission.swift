import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// A new order as the rep starts taking it.
    public struct NewOrder: Sendable {
        /// The account: an id, a unique prefix or its name.
        public var account: String
        /// The opportunity the order closes (must belong to the account).
        public var opportunity: String?
        /// The order number (e.g. SO-2026-0142).
        public var number: String?
        /// The currency code (default: the opportunity's).
        public var currency: String?
        public var notes: String?
        /// When the customer ordered, if not when it is submitted: sets `ordered_on` to its day.
        public var at: FieldTime?

        public init(
            account: String, opportunity: String? = nil, number: String? = nil, currency: String? = nil, notes: String? = nil,
            at: FieldTime? = nil
        ) {
            self.account = account
            self.opportunity = opportunity
            self.number = number
            self.currency = currency
            self.notes = notes
            self.at = at
        }
    }

    /// A draft order on an account (lines are added with `addOrderLine`), owned by the
    /// enrolled user; its currency is the opportunity's when none is given.
    public func createOrder(_ new: NewOrder) throws -> AppliedEdit {
        let orderSchema = try bench.entity("order")
        let account = try bench.liveRecord(try bench.entity("account"), new.account)
        let editor = bench.editor(orderSchema, current: nil)
        var operations: [LocalOperation] = [.set("account", .string(account.id)), .set("status", .string("draft"))]
        var currency = try new.currency.map { try editor.value(of: try editor.field("currency"), $0) }
        if let opportunityText = new.opportunity {
            let opportunity = try bench.liveRecord(try bench.entity("opportunity"), opportunityText)
            guard opportunity.value("account") == .string(account.id) else {
                throw SyncCore.ValidationError(
                    .invalidValue,
                    "opportunity \(RecordLabel.of(opportunity, schema: bench.schema)) (\(opportunity.id.prefix(8))) belongs to another account"
                )
            }
            operations.append(.set("opportunity", .string(opportunity.id)))
            if currency == nil, opportunity.value("currency") != .null { currency = opportunity.value("currency") }
        }
        if let currency { operations.append(.set("currency", currency)) }
        if let number = new.number { operations.append(.set("number", try editor.value(of: try editor.field("number"), number))) }
        if let notes = new.notes { operations.append(.set("notes", .string(notes))) }
        if let user = try bench.user() { operations.append(.set("owner", .string(user))) }
        if let at = new.at { operations.append(.set("ordered_on", .string(at.day.description))) }
        return try bench.apply(LocalEdit.create(orderSchema.name, operations).at(new.at?.timestamp))
    }

    /// Submits a draft order: every line is checked (a whole quantity of at least 1, a unit
    /// price, no open conflict on either, the order's account), the total is recomputed from
    /// the lines, and the status moves to submitted with the order day set (the day of `at`,
    /// default now, unless the order has one): one edit.
    public func submitOrder(_ orderID: String, at: FieldTime? = nil) throws -> AppliedEdit {
        let orderSchema = try bench.entity("order")
        let order = try bench.liveRecord(orderSchema, orderID)
        let label = RecordLabel.of(order, schema: bench.schema)
        guard Self.editableOrderStatuses.contains(order.value("status")) else {
            throw SyncCore.ValidationError(.invalidTransition, "order \(label) is \(order.value("status")); only a draft order can be submitted")
        }
        if let conflicted = order.conflicts.keys.sorted().first {
            throw SyncCore.ValidationError(.invalidValue, "order \(label) has a conflict on \(conflicted); resolve it before submitting (fieldsync conflicts)")
        }
        let lines = try bench.store.records("order_line", matching: [.equals("order", .string(order.id))], limit: Int.max)
        guard !lines.isEmpty else {
            throw SyncCore.ValidationError(.invalidValue, "order \(label) has no lines; add some with fieldsync order add-line \(order.id.prefix(8)) --product SKU --quantity N")
        }
        var problems: [String] = []
        for line in lines {
            let name = line.value("sku").stringValue ?? line.value("description").stringValue ?? String(line.id.prefix(8))
            for field in ["quantity", "unit_price"] where line.conflicts[field] != nil {
                problems.append("line \(name): two people changed its \(field) (\(line.conflicts[field]?.map { $0.value.description }.joined(separator: " vs ") ?? "")); resolve it first")
            }
            if let quantity = line.value("quantity").intValue {
                if quantity < 1 { problems.append("line \(name): quantity \(quantity) is not a positive whole number") }
            } else {
                problems.append("line \(name): no quantity")
            }
            if let price = line.value("unit_price").stringValue.flatMap(Amount.init) {
                if price < .zero { problems.append("line \(name): negative unit price \(price)") }
            } else {
                problems.append("line \(name): no unit price")
            }
            if line.value("account") != order.value("account") {
                problems.append("line \(name): belongs to another account than the order")
            }
        }
        guard problems.isEmpty else {
            throw SyncCore.ValidationError(.invalidValue, "order \(label) cannot be submitted: " + problems.joined(separator: "; "))
        }
        let total = try Self.total(lines.map { ($0.value("quantity"), $0.value("unit_price")) })
        var operations: [LocalOperation] = [.set("status", .string("submitted")), .set("total", .string(total))]
        if order.value("ordered_on") == .null { operations.append(.set("ordered_on", .string((at ?? .now()).day.description))) }
        return try bench.apply(LocalEdit.update(orderSchema.name, id: order.id, operations).at(at?.timestamp))
    }
}
