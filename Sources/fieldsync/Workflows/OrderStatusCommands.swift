import ArgumentParser
import FieldWork

/// `fieldsync order confirm|deliver|cancel ORDER`: the steps after submit.
protocol OrderStep: StatusStep {
    static var action: FieldWork.OrderAction { get }
}

extension OrderStep {
    static var commandName: String { action.rawValue }
    static var discussion: String {
        CLIHelp.orderStepDiscussion()
    }
    static var recordHelp: String { CLIHelp.orderArgument() }
    static var takesReason: Bool { action == .cancel }

    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit {
        try work.moveOrder(record, action, reason: reason, at: at)
    }
}

enum ConfirmOrder: OrderStep {
    static let action = FieldWork.OrderAction.confirm
    static let abstract = CLIHelp.confirmOrderAbstract()
}

enum DeliverOrder: OrderStep {
    static let action = FieldWork.OrderAction.deliver
    static let abstract = CLIHelp.deliverOrderAbstract()
}

enum CancelOrder: OrderStep {
    static let action = FieldWork.OrderAction.cancel
    static let abstract = CLIHelp.cancelOrderAbstract()
}
