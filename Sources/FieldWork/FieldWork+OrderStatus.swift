import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// What happens to a submitted order next, and the status each step moves to.
    public enum OrderAction: String, CaseIterable, Sendable {
        case confirm, deliver, cancel

        public var status: OrderStatus {
            switch self {
            case .confirm: return .confirmed
            case .deliver: return .delivered
            case .cancel: return .cancelled
            }
        }
    }

    /// Confirms, delivers or cancels an order: the CRM rules check the move (on the device
    /// here and again on the server; `invalid_transition` for a delivered order cancelled, a
    /// draft confirmed…) and the step's day (`confirmed_on`, `delivered_on`, `cancelled_on`)
    /// is the day of `at` where it happened (default now). One edit.
    public func moveOrder(_ orderID: String, _ action: OrderAction, reason: String? = nil, at: FieldTime? = nil) throws -> AppliedEdit {
        let orderSchema = try bench.entity("order")
        let order = try bench.liveRecord(orderSchema, orderID)
        let target = action.status
        var operations: [LocalOperation] = [.set("status", .string(target.rawValue))]
        if let field = target.dayField, order.value("status") != .string(target.rawValue) {
            operations.append(.set(field, .string((at ?? .now()).day.description)))
        }
        if let reason {
            guard action == .cancel else {
                throw SyncCore.ValidationError(.invalidValue, .reasonOnlyForCancel)
            }
            operations.append(.set("cancel_reason", .string(reason)))
        }
        return try bench.apply(LocalEdit.update(orderSchema.name, id: order.id, operations).at(at?.timestamp))
    }
}
