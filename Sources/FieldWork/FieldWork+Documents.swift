import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// The operations a new order or quote starts with: its account, the opportunity it closes
    /// or prices (refused when it belongs to another account), the currency (given, else the
    /// opportunity's), its number and notes, and the enrolled user as owner.
    func documentOperations(
        _ schema: EntitySchema, account accountText: String, opportunity opportunityText: String?, currency currencyText: String?,
        number: String?, notes: String?
    ) throws -> [LocalOperation] {
        let account = try bench.liveRecord(try bench.entity("account"), accountText)
        let editor = bench.editor(schema, current: nil)
        var operations: [LocalOperation] = [.set("account", .string(account.id))]
        var currency = try currencyText.map { try editor.value(of: try editor.field("currency"), $0) }
        if let opportunityText {
            let opportunity = try bench.liveRecord(try bench.entity("opportunity"), opportunityText)
            guard opportunity.value("account") == .string(account.id) else {
                throw SyncCore.ValidationError(
                    .invalidValue,
                    .opportunityOfAnotherAccount, ["opportunity": RecordLabel.of(opportunity, schema: bench.schema), "id": opportunity.id.prefix(8)]
                )
            }
            operations.append(.set("opportunity", .string(opportunity.id)))
            if currency == nil, opportunity.value("currency") != .null { currency = opportunity.value("currency") }
        }
        if let currency { operations.append(.set("currency", currency)) }
        if let number { operations.append(.set("number", try editor.value(of: try editor.field("number"), number))) }
        if let notes { operations.append(.set("notes", .string(notes))) }
        if let user = try bench.user() { operations.append(.set("owner", .string(user))) }
        return operations
    }
}
