import CRM
import SyncCore
import SyncStore

extension FieldWork {
    /// A new complaint or service request as the rep opens it.
    public struct NewTicket: Sendable {
        /// The account: an id, a unique prefix or its name.
        public var account: String
        /// The contact who raised it (must belong to the account).
        public var contact: String?
        public var title: String
        public var category: TicketCategory
        public var severity: TicketSeverity
        /// What the customer reported.
        public var description: String?
        /// Who handles it (default: the enrolled user).
        public var assignee: String?
        /// When the customer raised it (default: now): `opened_at`, from which the SLA counts.
        public var at: FieldTime?

        public init(
            account: String, contact: String? = nil, title: String, category: TicketCategory = .complaint,
            severity: TicketSeverity = .medium, description: String? = nil, assignee: String? = nil, at: FieldTime? = nil
        ) {
            self.account = account
            self.contact = contact
            self.title = title
            self.category = category
            self.severity = severity
            self.description = description
            self.assignee = assignee
            self.at = at
        }
    }

    /// Opens a ticket (status open); the CRM rules stamp `opened_at` (at `at`, default now),
    /// from which the response and resolution times are measured.
    public func openTicket(_ new: NewTicket) throws -> AppliedEdit {
        let ticketSchema = try bench.entity("ticket")
        let account = try bench.liveRecord(try bench.entity("account"), new.account)
        var assignments = [
            FieldAssignment(field: "account", text: account.id), FieldAssignment(field: "title", text: new.title),
            FieldAssignment(field: "category", text: new.category.rawValue), FieldAssignment(field: "severity", text: new.severity.rawValue),
            FieldAssignment(field: "status", text: "open"),
        ]
        if let contactText = new.contact {
            assignments.append(FieldAssignment(field: "contact", text: try contact(contactText, of: account).id))
        }
        if let description = new.description { assignments.append(FieldAssignment(field: "description", text: description)) }
        if let assignee = try new.assignee ?? bench.user() { assignments.append(FieldAssignment(field: "assignee", text: assignee)) }
        let operations = try bench.editor(ticketSchema, current: nil).operations(assigning: assignments)
        return try bench.apply(LocalEdit.create(ticketSchema.name, operations).at(new.at?.timestamp))
    }

    /// Records the call-back (回访) after a resolution: the customer was asked whether the
    /// problem stays solved. Stamps `called_back_at` (at `at`, default now), which the
    /// complaint report's call-back rate and its list of call-backs due read; a note goes to
    /// the resolution text. Refused for a ticket not resolved yet, one already called back,
    /// or a time before its resolution.
    public func callBack(_ ticketID: String, notes: String? = nil, at: FieldTime? = nil) throws -> AppliedEdit {
        let ticket = try bench.entity("ticket")
        let record = try bench.liveRecord(ticket, ticketID)
        let label = RecordLabel.of(record, schema: bench.schema)
        let status = record.value("status").stringValue.flatMap(TicketStatus.init(rawValue:))
        guard let status, status.isResolved, let resolvedAt = record.value("resolved_at").stringValue else {
            if let status {
                throw SyncCore.ValidationError(.invalidTransition, .callBackBeforeResolution, ["ticket": label, "status": status.rawValue])
            }
            throw SyncCore.ValidationError(.invalidTransition, .callBackWithoutStatus, ["ticket": label])
        }
        if let calledBack = record.value("called_back_at").stringValue {
            throw SyncCore.ValidationError(.invalidTransition, .ticketAlreadyCalledBack, ["ticket": label, "calledBack": calledBack])
        }
        let time = at ?? FieldTime.now()
        guard time.timestamp >= resolvedAt else {
            throw SyncCore.ValidationError(.invalidValue, .callBackBeforeResolved, ["ticket": label, "resolved": resolvedAt, "time": time.timestamp])
        }
        var operations: [LocalOperation] = [.set("called_back_at", .string(time.timestamp))]
        if let notes = notes?.trimmingCharacters(in: .whitespacesAndNewlines), !notes.isEmpty {
            let resolution = record.value("resolution").stringValue ?? ""
            operations.append(.set("resolution", .string(resolution.isEmpty ? "回访 call-back: \(notes)" : "\(resolution)\n回访 call-back: \(notes)")))
        }
        return try bench.apply(LocalEdit.update(ticket.name, id: record.id, operations).at(time.timestamp))
    }
}
