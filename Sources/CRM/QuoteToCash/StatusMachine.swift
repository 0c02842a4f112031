import SyncCore

/// A record status that moves only along allowed transitions (an order, a quote): the pure
/// check the device's rules and the server's admission share, so both refuse the same moves
/// with the same code.
public protocol StatusMachine: RawRepresentable<String>, CaseIterable, Sendable, Hashable {
    /// The entity the status belongs to, for messages ("order").
    static var subject: String { get }
    /// The statuses an edit may move to from this one (the status itself, a no-op, is not
    /// listed). Empty for a final status.
    var allowedNextStatuses: [Self] { get }
    /// The date field a move to this status stamps with the day of the move, if any.
    var dayField: String? { get }
}

extension StatusMachine {
    /// True when no move leaves this status.
    public var isFinal: Bool { allowedNextStatuses.isEmpty }

    /// True when an edit may move from this status to `target`.
    public func canMove(to target: Self) -> Bool {
        target == self || allowedNextStatuses.contains(target)
    }

    /// Checks a move from this status to `target`.
    ///
    /// - Throws: `ValidationError` with code `.invalidTransition`, naming the allowed statuses.
    public func checkMove(to target: Self) throws(ValidationError) {
        guard !canMove(to: target) else { return }
        let allowed = allowedNextStatuses.map(\.rawValue)
        let next = allowed.isEmpty
            ? Refusal(.statusIsFinal, ["status": rawValue]) : Refusal(.statusMayGoTo, ["status": rawValue, "allowed": allowed.joined(separator: ", ")])
        throw ValidationError(.invalidTransition, .cannotMoveStatus, ["subject": Self.subject, "from": rawValue, "to": target.rawValue, "next": next])
    }

    /// Checks a status field's move between two stored values: a value this build does not
    /// know (or none) gives nothing to check against.
    public static func checkMove(from current: Value?, to proposed: Value?) throws(ValidationError) {
        guard let from = current?.stringValue.flatMap(Self.init(rawValue:)),
            let to = proposed?.stringValue.flatMap(Self.init(rawValue:))
        else { return }
        try from.checkMove(to: to)
    }
}
