import CRM
import Foundation
import SyncCore
import SyncStore

/// The field rep's everyday actions, turned into local edits. Each function reads what it
/// needs, checks what the schema cannot (a contact of another account, an inactive product),
/// and returns the edits for one `store.apply`; the domain rules (stage and status
/// transitions, derived timestamps) run in the store.
struct FieldWork {
    let bench: Workbench

    private func entity(_ name: String) throws -> EntitySchema { try bench.entity(name) }

    // MARK: Visits

    struct Visit {
        var account: String
        var contact: String?
        var type: String
        var subject: String?
        var outcome: String?
        var nextFollowUp: String?
        var notes: String?
        var at: String?
        var durationMinutes: Int?
    }

    /// A new activity on an account, owned by the enrolled user.
    func logVisit(_ visit: Visit) throws -> LocalEdit {
        let account = try bench.liveRecord(try entity("account"), visit.account)
        var assignments = [
            FieldAssignment(field: "account", text: account.id),
            FieldAssignment(field: "type", text: visit.type),
            FieldAssignment(field: "at", text: visit.at ?? Days.nowTimestamp()),
        ]
        if let contactPrefix = visit.contact {
            let contact = try bench.liveRecord(try entity("contact"), contactPrefix)
            guard contact.value("account") == .string(account.id) else {
                throw SyncCore.ValidationError(.invalidValue, "contact \(RecordLabel.of(contact, schema: bench.schema)) (\(contact.id.prefix(8))) belongs to another account")
            }
            assignments.append(FieldAssignment(field: "contact", text: contact.id))
        }
        if let nextFollowUp = visit.nextFollowUp {
            assignments.append(FieldAssignment(field: "next_follow_up", text: try Days.parse(nextFollowUp)))
            assignments.append(FieldAssignment(field: "follow_up_done", text: "false"))
        }
        let optional: [(String, String?)] = [
            ("subject", visit.subject), ("outcome", visit.outcome), ("notes", visit.notes),
            ("duration_minutes", visit.durationMinutes.map(String.init)), ("owner", try bench.user()),
        ]
        assignments += optional.compactMap { field, text in text.map { FieldAssignment(field: field, text: $0) } }
        let activity = try entity("activity")
        return .create(activity.name, try bench.editor(activity, current: nil).operations(assigning: assignments))
    }

    // MARK: Opportunities

    /// Moves an opportunity to a stage (checked by the CRM rules), with a lost reason or a new
    /// amount; `reopen` moves a won or lost deal back to negotiation.
    func moveStage(_ opportunityID: String, to stage: String?, reason: String?, amount: String?, reopen: Bool) throws -> LocalEdit {
        let opportunity = try entity("opportunity")
        let record = try bench.liveRecord(opportunity, opportunityID)
        var assignments: [FieldAssignment] = []
        let target = stage ?? (reopen ? OpportunityStage.reopenedStage.rawValue : nil)
        let losing = target.map { $0.lowercased() == OpportunityStage.lost.rawValue } ?? false
        if losing && reason == nil && (record.value("lost_reason").stringValue ?? "").isEmpty {
            throw SyncCore.ValidationError(.missingRequiredField, "moving an opportunity to lost needs a reason: add --reason TEXT")
        }
        if let target { assignments.append(FieldAssignment(field: "stage", text: target)) }
        if let reason { assignments.append(FieldAssignment(field: "lost_reason", text: reason)) }
        if let amount { assignments.append(FieldAssignment(field: "amount", text: amount)) }
        let operations = try bench.editor(opportunity, current: record).operations(assigning: assignments)
        return .update(opportunity.name, id: record.id, operations, reopen: reopen)
    }

    // MARK: Tags and points

    /// Adds tags to an account; tags it already has are left alone. Nil when there is nothing
    /// to add.
    /// Adds tags to an account. A tag already there is added again: the set is add-wins, so
    /// this add survives a remove made concurrently on another device, as the rep expects.
    func addTags(_ tags: [String], to accountID: String) throws -> LocalEdit {
        let account = try entity("account")
        let record = try bench.liveRecord(account, accountID)
        return .update(account.name, id: record.id, try TagArguments.additions(Self.unique(tags), to: account))
    }

    /// Removes tags from an account; every tag must be on it.
    func removeTags(_ tags: [String], from accountID: String) throws -> LocalEdit {
        let account = try entity("account")
        let record = try bench.liveRecord(account, accountID)
        let existing = record.sets[TagArguments.field] ?? []
        for tag in tags where !existing.contains(tag) {
            let list = existing.isEmpty ? "it has none" : "its tags: \(existing.joined(separator: ", "))"
            throw SyncCore.ValidationError(.invalidValue, "account \(RecordLabel.of(record, schema: bench.schema)) has no tag '\(tag)' (\(list))")
        }
        return .update(account.name, id: record.id, Self.unique(tags).map { .remove(TagArguments.field, $0) })
    }

    /// Adds (or with a negative amount subtracts) loyalty points.
    func addPoints(_ amount: Int64, to accountID: String) throws -> LocalEdit {
        let account = try entity("account")
        let record = try bench.liveRecord(account, accountID)
        return .update(account.name, id: record.id, [.increment("loyalty_points", by: amount)])
    }

    private static func unique(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    // MARK: Tickets

    /// The ticket actions of the service flow and the status each one moves to.
    enum TicketAction: String, CaseIterable {
        case acknowledge, start, resolve, close, reopen

        var status: TicketStatus {
            switch self {
            case .acknowledge: return .acknowledged
            case .start, .reopen: return .inProgress
            case .resolve: return .resolved
            case .close: return .closed
            }
        }
    }

    /// Moves a ticket through its statuses; the CRM rules check the move and stamp the
    /// first-response and resolution times.
    func ticket(_ ticketID: String, _ action: TicketAction, resolution: String?) throws -> LocalEdit {
        let ticket = try entity("ticket")
        let record = try bench.liveRecord(ticket, ticketID)
        var assignments = [FieldAssignment(field: "status", text: action.status.rawValue)]
        if let resolution { assignments.append(FieldAssignment(field: "resolution", text: resolution)) }
        let operations = try bench.editor(ticket, current: record).operations(assigning: assignments)
        return .update(ticket.name, id: record.id, operations, reopen: action == .reopen)
    }
}
