import CRM
import Foundation
import SyncCore
import SyncStore

/// The field rep's everyday actions on the device store, as an app or the `fieldsync` CLI
/// calls them.
///
/// Each workflow reads what it needs, checks what the schema cannot (a contact of another
/// account, an inactive product), writes its edits in one transaction (the CRM rules check
/// stage and status moves and derive their stamps inside it) and returns the edits it made:
/// every record's id, the change written and the record before and after. Records are named
/// as people type them: an id, a unique id prefix, or a name (`Workbench.resolve`). Refusals
/// are `SyncCore.ValidationError` or `StoreError`, each with a stable `code`.
public struct FieldWork {
    public let bench: Workbench

    public init(bench: Workbench) {
        self.bench = bench
    }

    /// Workflows over a device store.
    public init(store: DeviceStore) {
        self.init(bench: Workbench(store: store))
    }

    private func entity(_ name: String) throws -> EntitySchema { try bench.entity(name) }

    /// A contact of `account`, typed as an id, prefix or name; one of another account is refused.
    func contact(_ typed: String, of account: RecordSnapshot) throws -> RecordSnapshot {
        let contact = try bench.liveRecord(try entity("contact"), typed)
        guard contact.value("account") == .string(account.id) else {
            throw SyncCore.ValidationError(.invalidValue, .contactOfAnotherAccount, ["contact": RecordLabel.of(contact, schema: bench.schema), "id": contact.id.prefix(8)])
        }
        return contact
    }

    // MARK: Visits

    /// A visit, call, e-mail or meeting as the rep logs it.
    public struct Visit: Sendable {
        /// The account visited: an id, a unique prefix or its name.
        public var account: String
        /// The contact met (must belong to the account).
        public var contact: String?
        public var type: ActivityType
        public var subject: String?
        public var outcome: String?
        /// When to follow up; the follow-up is open until done.
        public var nextFollowUp: CalendarDay?
        public var notes: String?
        /// When it happened (default: now).
        public var at: FieldTime?
        public var durationMinutes: Int?

        public init(
            account: String, contact: String? = nil, type: ActivityType = .visit, subject: String? = nil, outcome: String? = nil,
            nextFollowUp: CalendarDay? = nil, notes: String? = nil, at: FieldTime? = nil, durationMinutes: Int? = nil
        ) {
            self.account = account
            self.contact = contact
            self.type = type
            self.subject = subject
            self.outcome = outcome
            self.nextFollowUp = nextFollowUp
            self.notes = notes
            self.at = at
            self.durationMinutes = durationMinutes
        }
    }

    /// Logs a new activity on an account, owned by the enrolled user.
    public func logVisit(_ visit: Visit) throws -> AppliedEdit {
        let account = try bench.liveRecord(try entity("account"), visit.account)
        var assignments = [
            FieldAssignment(field: "account", text: account.id),
            FieldAssignment(field: "type", text: visit.type.rawValue),
            FieldAssignment(field: "at", text: (visit.at ?? .now()).timestamp),
        ]
        if let contactText = visit.contact {
            assignments.append(FieldAssignment(field: "contact", text: try contact(contactText, of: account).id))
        }
        if let nextFollowUp = visit.nextFollowUp {
            assignments.append(FieldAssignment(field: "next_follow_up", text: nextFollowUp.description))
            assignments.append(FieldAssignment(field: "follow_up_done", text: "false"))
        }
        let optional: [(String, String?)] = [
            ("subject", visit.subject), ("outcome", visit.outcome), ("notes", visit.notes),
            ("duration_minutes", visit.durationMinutes.map(String.init)), ("owner", try bench.user()),
        ]
        assignments += optional.compactMap { field, text in text.map { FieldAssignment(field: field, text: $0) } }
        let activity = try entity("activity")
        return try bench.apply(.create(activity.name, try bench.editor(activity, current: nil).operations(assigning: assignments)))
    }

    // MARK: Opportunities

    /// A move of an opportunity through the pipeline.
    public struct StageMove: Sendable {
        /// The opportunity: an id, a unique prefix or its title.
        public var opportunity: String
        /// The new stage; nil with `reopen` (back to negotiation) or to change the amount only.
        public var stage: OpportunityStage?
        /// Why the deal was lost (required for lost unless it has one).
        public var lostReason: String?
        public var amount: Amount?
        /// Moves a won or lost deal back to negotiation (or to `stage`).
        public var reopen: Bool
        /// When it happened (default: now): a won or lost deal closes on its day.
        public var at: FieldTime?

        public init(
            opportunity: String, to stage: OpportunityStage? = nil, lostReason: String? = nil, amount: Amount? = nil,
            reopen: Bool = false, at: FieldTime? = nil
        ) {
            self.opportunity = opportunity
            self.stage = stage
            self.lostReason = lostReason
            self.amount = amount
            self.reopen = reopen
            self.at = at
        }
    }

    /// Moves an opportunity to a stage (checked by the CRM rules, which set its probability
    /// and, for won and lost, `closed_on`: the day of `at` where it happened).
    public func moveStage(_ move: StageMove) throws -> AppliedEdit {
        let opportunity = try entity("opportunity")
        let record = try bench.liveRecord(opportunity, move.opportunity)
        let target = move.stage ?? (move.reopen ? OpportunityStage.reopenedStage : nil)
        if target == .lost && move.lostReason == nil && (record.value("lost_reason").stringValue ?? "").isEmpty {
            throw SyncCore.ValidationError(.missingRequiredField, .lostNeedsReasonOption)
        }
        var operations: [LocalOperation] = []
        if let target { operations.append(.set("stage", .string(target.rawValue))) }
        if let reason = move.lostReason { operations.append(.set("lost_reason", .string(reason))) }
        if let amount = move.amount {
            let editor = bench.editor(opportunity, current: record)
            operations.append(.set("amount", try editor.value(of: try editor.field("amount"), amount.description)))
        }
        if let at = move.at, let target, target.isClosed, record.value("stage") != .string(target.rawValue) {
            operations.append(.set("closed_on", .string(at.day.description)))
        }
        return try bench.apply(LocalEdit.update(opportunity.name, id: record.id, operations, reopen: move.reopen).at(move.at?.timestamp))
    }

    // MARK: Tags and points

    /// Adds tags to an account. A tag already there is added again: the set is add-wins, so
    /// this add survives a remove made concurrently on another device, as the rep expects.
    public func addTags(_ tags: [String], to accountID: String) throws -> AppliedEdit {
        let account = try entity("account")
        let record = try bench.liveRecord(account, accountID)
        return try bench.apply(.update(account.name, id: record.id, try TagArguments.additions(Self.unique(tags), to: account)))
    }

    /// Removes tags from an account; every tag must be on it.
    public func removeTags(_ tags: [String], from accountID: String) throws -> AppliedEdit {
        let account = try entity("account")
        let record = try bench.liveRecord(account, accountID)
        let existing = record.sets[TagArguments.field] ?? []
        for tag in tags where !existing.contains(tag) {
            let list = existing.isEmpty ? "it has none" : "its tags: \(existing.joined(separator: ", "))"
            throw SyncCore.ValidationError(.invalidValue, .accountWithoutTag, ["account": RecordLabel.of(record, schema: bench.schema), "tag": tag, "tags": list])
        }
        return try bench.apply(.update(account.name, id: record.id, Self.unique(tags).map { .remove(TagArguments.field, $0) }))
    }

    private static func unique(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    // MARK: Tickets

    /// The ticket actions of the service flow and the status each one moves to.
    public enum TicketAction: String, CaseIterable, Sendable {
        case acknowledge, start, resolve, close, reopen

        public var status: TicketStatus {
            switch self {
            case .acknowledge: return .acknowledged
            case .start, .reopen: return .inProgress
            case .resolve: return .resolved
            case .close: return .closed
            }
        }
    }

    /// Moves a ticket through its statuses; the CRM rules check the move and stamp the
    /// first-response and resolution times at `at` (default: now).
    public func ticket(_ ticketID: String, _ action: TicketAction, resolution: String? = nil, at: FieldTime? = nil) throws -> AppliedEdit {
        let ticket = try entity("ticket")
        let record = try bench.liveRecord(ticket, ticketID)
        if let at {
            // A step recorded after the fact cannot come before the steps already stamped:
            // the rules' stamps would then measure a negative response or resolution time.
            for field in ["opened_at", "first_response_at"] {
                if let stamped = record.value(field).stringValue, stamped > at.timestamp {
                    throw SyncCore.ValidationError(
                        .invalidValue,
                        .ticketStepBeforeStamp, ["ticket": RecordLabel.of(record, schema: bench.schema), "field": field, "stamped": stamped, "action": action.rawValue, "at": at.timestamp]
                    )
                }
            }
        }
        var operations: [LocalOperation] = [.set("status", .string(action.status.rawValue))]
        if let resolution { operations.append(.set("resolution", .string(resolution))) }
        return try bench.apply(LocalEdit.update(ticket.name, id: record.id, operations, reopen: action == .reopen).at(at?.timestamp))
    }
}
