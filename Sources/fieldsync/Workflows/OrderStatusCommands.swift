import ArgumentParser
import FieldWork

/// `fieldsync order confirm|deliver|cancel ORDER`: the steps after submit.
protocol OrderStep: StatusStep {
    static var action: FieldWork.OrderAction { get }
}

extension OrderStep {
    static var commandName: String { action.rawValue }
    static var discussion: String {
        "draft → submitted → confirmed → delivered; an order not yet delivered may be cancelled. Other moves are refused (invalid_transition), on this device and by the server."
    }
    static var recordHelp: String { "The order: an id, a unique prefix or its number." }
    static var takesReason: Bool { action == .cancel }

    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit {
        try work.moveOrder(record, action, reason: reason, at: at)
    }
}

enum ConfirmOrder: OrderStep {
    static let action = FieldWork.OrderAction.confirm
    static let abstract = "Confirm a submitted order (stamps confirmed_on)."
}

enum DeliverOrder: OrderStep {
    static let action = FieldWork.OrderAction.deliver
    static let abstract = "Mark a confirmed order delivered (stamps delivered_on); final."
}

enum CancelOrder: OrderStep {
    static let action = FieldWork.OrderAction.cancel
    static let abstract = "Cancel an order not yet delivered (stamps cancelled_on); add --reason."
}
