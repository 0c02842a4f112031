import SyncCore

/// The status of a service ticket or complaint (工单状态).
///
/// Tickets run open → acknowledged → in_progress → resolved → closed. A ticket may skip
/// straight from `open` to `in_progress`, a resolved ticket may be reopened to `in_progress`,
/// and `closed` is final. Moving a status to itself is a no-op.
///
/// The response-time KPIs come from the timestamps a move writes: the first move to
/// `acknowledged` or `in_progress` stamps `first_response_at` (if unset), a move to `resolved`
/// stamps `resolved_at`, and reopening clears `resolved_at`.
public enum TicketStatus: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case open
    case acknowledged
    case inProgress = "in_progress"
    case resolved
    case closed

    public var description: String { rawValue }

    /// The statuses an edit may move to from this one (the status itself, a no-op, is not
    /// listed). Empty for `closed`.
    public var allowedNextStatuses: [TicketStatus] {
        switch self {
        case .open: return [.acknowledged, .inProgress]
        case .acknowledged: return [.inProgress]
        case .inProgress: return [.resolved]
        case .resolved: return [.inProgress, .closed]
        case .closed: return []
        }
    }

    /// True once someone has answered the ticket: every status after `open`.
    public var hasResponse: Bool { self != .open }

    /// True for `resolved` and `closed`, the statuses that carry a resolution time.
    public var isResolved: Bool { self == .resolved || self == .closed }

    /// True when an edit may move from this status to `target`.
    public func canMove(to target: TicketStatus) -> Bool {
        target == self || allowedNextStatuses.contains(target)
    }

    /// Checks a move from this status to `target`.
    ///
    /// - Throws: `ValidationError` with code `.invalidTransition` and a message naming the
    ///   allowed statuses.
    public func checkMove(to target: TicketStatus) throws(ValidationError) {
        guard !canMove(to: target) else { return }
        if self == .closed {
            throw ValidationError(.invalidTransition, .ticketClosedIsFinal)
        }
        let allowed = allowedNextStatuses.map(\.rawValue).joined(separator: ", ")
        throw ValidationError(
            .invalidTransition,
            .cannotMoveTicket, ["from": rawValue, "to": target.rawValue, "allowed": allowed]
        )
    }

    /// Checks a move to `target` and returns the timestamp fields it writes.
    ///
    /// - Parameters:
    ///   - target: the new status.
    ///   - current: the ticket's displayed values before the edit; decides whether
    ///     `first_response_at` is still unset.
    ///   - now: the time to stamp, `YYYY-MM-DDTHH:MM:SSZ`, chosen by the caller.
    /// - Returns: the extra assignments (`first_response_at`, `resolved_at`); empty for a no-op.
    public func transition(to target: TicketStatus, current: [String: Value], now: String) throws(ValidationError) -> [String: Value] {
        try checkMove(to: target)
        guard target != self else { return [:] }
        var extra: [String: Value] = [:]
        if target.hasResponse && (current["first_response_at"] ?? .null) == .null {
            extra["first_response_at"] = .string(now)
        }
        if target == .resolved {
            extra["resolved_at"] = .string(now)
        }
        if self == .resolved && target == .inProgress {
            // A reopened ticket is unresolved again; its next resolution is stamped afresh.
            extra["resolved_at"] = .null
        }
        return extra
    }

    /// The timestamp fields a ticket created directly in `status` gets: `opened_at`, and the
    /// response and resolution times its status implies.
    public func creationFields(now: String) -> [String: Value] {
        var extra: [String: Value] = ["opened_at": .string(now)]
        if hasResponse { extra["first_response_at"] = .string(now) }
        if isResolved { extra["resolved_at"] = .string(now) }
        return extra
    }
}
