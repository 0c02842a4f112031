import FieldWork
import SyncCore
import SyncStore

/// The records `show` lists under a record: for an account its contacts, open opportunities,
/// recent visits, open tickets, orders, current quotes, contracts and invoices; for an order or a
/// quote its lines; for an invoice its payments.
enum RelatedRecords {
    struct Group {
        /// The key in `--json` output.
        var key: String
        var title: CLIString
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
            let orders = try store.records("order", matching: [account])
                .sorted { ($0.value("ordered_on").stringValue ?? "") > ($1.value("ordered_on").stringValue ?? "") }
            let quotes = try store.records("quote", matching: [account])
                .filter { $0.value("status") != .string("superseded") }
            let contracts = try store.records("contract", matching: [account])
            let invoices = try store.records("invoice", matching: [account])
                .sorted { ($0.value("due_on").stringValue ?? "") > ($1.value("due_on").stringValue ?? "") }
            return [
                Group(key: "contacts", title: .groupContacts, entity: "contact", records: contacts),
                Group(key: "openOpportunities", title: .groupOpenOpportunities, entity: "opportunity", records: opportunities),
                Group(key: "recentVisits", title: .groupRecentVisits, entity: "activity", records: Array(visits)),
                Group(key: "openTickets", title: .groupOpenTickets, entity: "ticket", records: tickets),
                Group(key: "orders", title: .groupOrders, entity: "order", records: orders),
                Group(key: "quotes", title: .groupQuotes, entity: "quote", records: quotes),
                Group(key: "contracts", title: .groupContracts, entity: "contract", records: contracts),
                Group(key: "invoices", title: .groupInvoices, entity: "invoice", records: invoices),
            ]
        case "order":
            let lines = try store.records("order_line", matching: [.equals("order", .string(record.id))])
            return [Group(key: "lines", title: .groupLines, entity: "order_line", records: lines)]
        case "quote":
            let lines = try store.records("quote_line", matching: [.equals("quote", .string(record.id))])
            return [Group(key: "lines", title: .groupLines, entity: "quote_line", records: lines)]
        case "invoice":
            let payments = try store.records("payment", matching: [.equals("invoice", .string(record.id))])
            return [Group(key: "payments", title: .groupPayments, entity: "payment", records: payments)]
        default:
            return []
        }
    }
}
