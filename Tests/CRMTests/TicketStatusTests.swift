import CRM
import SyncCore
import Testing

@Suite("Ticket status transitions")
struct TicketStatusTests {
    static let allowed: Set<String> = [
        "open>acknowledged", "open>in_progress", "acknowledged>in_progress",
        "in_progress>resolved", "resolved>in_progress", "resolved>closed",
    ]

    static let allPairs: [(TicketStatus, TicketStatus)] = TicketStatus.allCases.flatMap { from in
        TicketStatus.allCases.map { (from, $0) }
    }

    static let now = "2026-11-23T09:00:00Z"

    @Test("every pair of statuses is allowed or rejected as the service flow says", arguments: allPairs)
    func transition(from: TicketStatus, to target: TicketStatus) throws {
        let expected = from == target || Self.allowed.contains("\(from.rawValue)>\(target.rawValue)")
        #expect(from.canMove(to: target) == expected)
        if expected {
            _ = try from.transition(to: target, current: [:], now: Self.now)
        } else {
            let error = #expect(throws: ValidationError.self) {
                try from.transition(to: target, current: [:], now: Self.now)
            }
            #expect(error?.code == .invalidTransition)
        }
    }

    @Test("a rejected move names the allowed statuses")
    func rejectionMessage() {
        let error = #expect(throws: ValidationError.self) { try TicketStatus.acknowledged.checkMove(to: .closed) }
        #expect(error?.message == "cannot move ticket from acknowledged to closed; from acknowledged it may go to in_progress")
        let closed = #expect(throws: ValidationError.self) { try TicketStatus.closed.checkMove(to: .inProgress) }
        #expect(closed?.message == "ticket is closed, which is final; open a new ticket instead")
    }

    @Test("the first response is stamped once", arguments: [(TicketStatus.open, TicketStatus.acknowledged), (.open, .inProgress), (.acknowledged, .inProgress)])
    func firstResponse(from: TicketStatus, to target: TicketStatus) throws {
        let unanswered = try from.transition(to: target, current: ["status": .string(from.rawValue)], now: Self.now)
        #expect(unanswered["first_response_at"] == .string(Self.now))
        let answered = try from.transition(to: target, current: ["first_response_at": .string("2026-11-22T08:00:00Z")], now: Self.now)
        #expect(answered["first_response_at"] == nil)
    }

    @Test("resolving stamps resolved_at, reopening clears it, closing keeps it")
    func resolution() throws {
        let answered: [String: Value] = ["first_response_at": .string("2026-11-20T01:00:00Z")]
        #expect(try TicketStatus.inProgress.transition(to: .resolved, current: answered, now: Self.now) == ["resolved_at": .string(Self.now)])
        #expect(try TicketStatus.resolved.transition(to: .inProgress, current: answered, now: Self.now) == ["resolved_at": .null])
        #expect(try TicketStatus.resolved.transition(to: .closed, current: answered, now: Self.now) == [:])
    }

    @Test("a move to the same status is a no-op", arguments: TicketStatus.allCases)
    func sameStatus(status: TicketStatus) throws {
        #expect(try status.transition(to: status, current: [:], now: Self.now) == [:])
    }

    @Test("the statuses match the schema's enumeration")
    func matchesSchema() {
        #expect(TicketStatus.allCases.map(\.rawValue) == CRMSchema.ticketStatuses)
    }
}
