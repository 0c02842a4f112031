import SyncCore
import SyncStore

extension FieldWork {
    /// A new complaint or service request as the rep opens it.
    struct NewTicket {
        var account: String
        var contact: String?
        var title: String
        var category: String
        var severity: String
        var description: String?
        var assignee: String?
    }

    /// Opens a ticket (status open); the CRM rules stamp `opened_at`, from which the response
    /// and resolution times are measured.
    func openTicket(_ new: NewTicket) throws -> LocalEdit {
        let ticketSchema = try bench.entity("ticket")
        let account = try bench.liveRecord(try bench.entity("account"), new.account)
        var assignments = [
            FieldAssignment(field: "account", text: account.id), FieldAssignment(field: "title", text: new.title),
            FieldAssignment(field: "category", text: new.category), FieldAssignment(field: "severity", text: new.severity),
            FieldAssignment(field: "status", text: "open"),
        ]
        if let contactText = new.contact {
            let contact = try bench.liveRecord(try bench.entity("contact"), contactText)
            guard contact.value("account") == .string(account.id) else {
                throw SyncCore.ValidationError(.invalidValue, "contact \(RecordLabel.of(contact, schema: bench.schema)) (\(contact.id.prefix(8))) belongs to another account")
            }
            assignments.append(FieldAssignment(field: "contact", text: contact.id))
        }
        if let description = new.description { assignments.append(FieldAssignment(field: "description", text: description)) }
        if let assignee = try new.assignee ?? bench.user() { assignments.append(FieldAssignment(field: "assignee", text: assignee)) }
        return .create(ticketSchema.name, try bench.editor(ticketSchema, current: nil).operations(assigning: assignments))
    }
}
