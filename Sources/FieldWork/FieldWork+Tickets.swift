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
}
