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
        var operations = try documentOperations(
            orderSchema, account: new.account, opportunity: new.opportunity, currency: new.currency, number: new.number, notes: new.notes
        )
        operations.append(.set("status", .string("draft")))
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
            throw SyncCore.ValidationError(.invalidTransition, .orderNotDraftToSubmit, ["order": label, "status": order.value("status")])
        }
        if let conflicted = order.conflicts.keys.sorted().first {
            throw SyncCore.ValidationError(.invalidValue, .orderHasConflict, ["order": label, "fields": conflicted])
        }
        let lines = try bench.store.records("order_line", matching: [.equals("order", .string(order.id))], limit: Int.max)
        guard !lines.isEmpty else {
            throw SyncCore.ValidationError(.invalidValue, .orderWithoutLines, ["order": label, "id": order.id.prefix(8)])
        }
        let problems = lineProblems(lines, of: order)
        guard problems.isEmpty else {
            throw SyncCore.ValidationError(.invalidValue, .orderCannotBeSubmitted, ["order": label, "problems": problems])
        }
        let total = try Self.total(lines.compactMap { LinePrice($0.value) })
        var operations: [LocalOperation] = [.set("status", .string("submitted")), .set("total", .string(total))]
        if order.value("ordered_on") == .null { operations.append(.set("ordered_on", .string((at ?? .now()).day.description))) }
        return try bench.apply(LocalEdit.update(orderSchema.name, id: order.id, operations).at(at?.timestamp))
    }
}
