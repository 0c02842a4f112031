import SyncCore
import SyncStore

/// The records `show` lists under a record: for an account its contacts, open opportunities,
/// recent visits and open tickets; for an order its lines.
enum RelatedRecords {
    struct Group {
        /// The key in `--json` output.
        var key: String
        var title: String
        var entity: String
        var records: [RecordSnapshot]
    }

    static let recentVisits = 5
    static let closedStages: Set<Value> = [.string("won"), .string("lost")]
    static let closedTicketStatuses: Set<Value> = [.string("resolved"), .string("closed")]

    static func groups(for record: RecordSnapshot, store: DeviceStore) throws -> [Group] {
        switch record.entity {
        case "account":
            let account = RecordFilter.account(record.id)
            let contacts = try store.records("contact", matching: [account])
            let opportunities = try store.records("opportunity", matching: [account])
                .filter { !closedStages.contains($0.value("stage")) }
            let visits = try store.records("activity", matching: [account])
                .sorted { ($0.value("at").stringValue ?? "") > ($1.value("at").stringValue ?? "") }
                .prefix(recentVisits)
            let tickets = try store.records("ticket", matching: [account])
                .filter { !closedTicketStatuses.contains($0.value("status")) }
            return [
                Group(key: "contacts", title: "Contacts", entity: "contact", records: contacts),
                Group(key: "openOpportunities", title: "Open opportunities", entity: "opportunity", records: opportunities),
                Group(key: "recentVisits", title: "Recent visits", entity: "activity", records: Array(visits)),
                Group(key: "openTickets", title: "Open tickets", entity: "ticket", records: tickets),
            ]
        case "order":
            let lines = try store.records("order_line", matching: [.equals("order", .string(record.id))])
            return [Group(key: "lines", title: "Lines", entity: "order_line", records: lines)]
        default:
            return []
        }
    }
}
