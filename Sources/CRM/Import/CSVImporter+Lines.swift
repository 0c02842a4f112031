import Foundation
import SyncCore

/// Orders with their lines, references checked against the row's account, and territories.
///
/// Orders come as the exports of Chinese CRMs give them (销售订单 and 订单明细 / 订单产品): one
/// file of orders, one row each, and one file of lines, one row per product, naming its order by
/// number (订单编号). Both are checked together and applied in one transaction: a line's
/// account is its order's, its sku, unit price and description come from the price list when
/// the file leaves them out, and each order's total is derived from its lines (a total the
/// orders file gives must agree with them: `total_mismatch`).
extension CSVImporter {
    /// Checks an orders file and its lines file without changing anything: one report of both
    /// (the lines' issues have `file` "lines"), whose creations are the orders, each with the
    /// id its lines name, and then the lines.
    public func dryRun(orders: Data, lines: Data) -> CSVImportReport {
        var report = dryRun(orders)
        // A file-level error in the orders file (no rows were checked): its report says why.
        guard !report.issues.contains(where: { $0.severity == .error && $0.line == nil }) else { return report }
        var ordersByID: [RecordID: [String: Value]] = [:]
        for index in report.creations.indices where report.creations[index].entity == CRMSchema.order.name {
            let id = RecordIDs.make()
            report.creations[index].id = id
            ordersByID[id] = report.creations[index].values
        }
        var linesImporter = CSVImporter(
            options: Options(
                entity: CRMSchema.orderLine.name, mapping: options.linesMapping, duplicates: .allow, delimiter: options.delimiter,
                territories: options.territories
            ),
            existing: existing, schema: schema
        )
        linesImporter.importedOrders = ordersByID
        linesImporter.fileLabel = Self.linesFile
        let (table, issue) = linesImporter.parse(lines)
        let linesReport = table.map(linesImporter.dryRun) ?? CSVImportReport(
            entity: CRMSchema.orderLine.name, columns: [], rowCount: 0, issues: issue.map { [$0] } ?? [], creations: [], skippedDuplicates: 0
        )
        var issues = report.issues + linesReport.issues
        var creations = report.creations
        // Each order's total is its lines' (`LinePrice`, as `order add-line` computes it).
        for index in creations.indices where creations[index].entity == CRMSchema.order.name {
            let orderLines = linesReport.creations.filter { $0.values["order"]?.stringValue == creations[index].id }
            guard !orderLines.isEmpty else { continue }
            let total = DocumentTotals(orderLines.compactMap { line in LinePrice { line.values[$0] ?? .null } }).gross
            guard let derived = Decimals.canonical(total.description) else { continue }
            if let given = creations[index].values["total"]?.stringValue.flatMap(Amount.init), given != total {
                issues.append(CSVImportIssue(
                    .error, .totalMismatch, line: creations[index].line, field: "total",
                    CSVImportSentence(orderLines.count == 1 ? .totalMismatchOneLine : .totalMismatch, ["given": given, "n": orderLines.count, "total": total])
                ))
            }
            creations[index].values["total"] = .string(derived)
        }
        return CSVImportReport(
            entity: report.entity, columns: report.columns, rowCount: report.rowCount + linesReport.rowCount, issues: issues,
            creations: creations + linesReport.creations, skippedDuplicates: report.skippedDuplicates
        )
    }

    /// The `file` of the lines file's issues.
    public static let linesFile = "lines"

    /// Fields of `entity` a row may leave out because the import derives them: an order line's
    /// account (its order's) and unit price (the product's).
    func derivedFields(of entity: EntitySchema) -> Set<String> {
        entity.name == CRMSchema.orderLine.name ? ["account", "unit_price"] : []
    }

    /// The id of the order of this import numbered `number`.
    func importedOrder(numbered number: String) throws(CellCleaner.Problem) -> RecordID {
        let key = Normalization.key(number)
        let matches = importedOrders.filter { $0.value["number"]?.stringValue.map(Normalization.key) == key }.keys.sorted()
        guard let first = matches.first else {
            throw CellCleaner.Problem(code: .unknownReference, CSVImportSentence(.unknownOrder, ["number": number]))
        }
        guard matches.count == 1 else {
            throw CellCleaner.Problem(code: .ambiguousReference, CSVImportSentence(.ambiguousOrder, ["n": matches.count, "number": number]))
        }
        return first
    }

    /// Fills an order line from its order (the account) and the price list (sku, unit price,
    /// description), and checks that a sku and a product named together agree.
    func deriveLine(_ values: inout [String: Value]) throws(CellCleaner.Problem) {
        if let order = values["order"]?.stringValue.flatMap({ importedOrders[$0] }) {
            values["account"] = order["account"]
        }
        let products = existing.records(of: CRMSchema.product.name)
        let sku = values["sku"]?.stringValue
        var product = values["product"]?.stringValue.flatMap { id in products.first { $0.id == id } }
        if product == nil, let sku {
            // A sku the price list does not hold is a product of the old system: the line keeps
            // it, with the price the file gives.
            product = products.first { $0.text("sku").map(Normalization.key) == Normalization.key(sku) }
        }
        guard let product else { return }
        if let sku, let own = product.text("sku"), Normalization.key(sku) != Normalization.key(own) {
            throw CellCleaner.Problem(
                code: .invalidValue, CSVImportSentence(.skuMismatch, ["sku": sku, "product": product.text("name") ?? product.id, "own": own]), field: "sku"
            )
        }
        values["product"] = .string(product.id)
        for (field, source) in [("sku", "sku"), ("unit_price", "unit_price"), ("description", "name")] where values[field] == nil {
            if let value = product.values[source] { values[field] = value }
        }
    }

    /// A territory cell, by key or title, as the key (`TerritoryList.resolve`).
    func territory(_ value: Value, of field: FieldSchema, in entity: EntitySchema) throws(CellCleaner.Problem) -> Value {
        guard case .territory(let name) = entity.scope, name == field.name, let text = value.stringValue else { return value }
        do throws(ValidationError) {
            return .string(try options.territories.resolve(text))
        } catch {
            throw CellCleaner.Problem(code: .unknownTerritory, .refusal(error.message, code: error.code.rawValue))
        }
    }

    /// The id a contact cell names, among the contacts of the row's account: an id, or the
    /// name of exactly one of them. A contact of another account is `contact_of_other_account`.
    func resolveContact(_ raw: String, account: RecordID?) throws(CellCleaner.Problem) -> RecordID? {
        let text = Normalization.text(raw)
        guard !text.isEmpty else { return nil }
        let contacts = existing.records(of: CRMSchema.contact.name)
        func ofAccount(_ contact: CRMDataSet.Record) -> Bool { account == nil || contact.text("account") == account }
        let lowered = text.lowercased()
        let matches: [CRMDataSet.Record]
        if RecordIDs.isValid(lowered) {
            matches = contacts.filter { $0.id == lowered }
        } else {
            let key = Normalization.key(text)
            matches = contacts.filter { $0.text("name").map(Normalization.key) == key }
        }
        let mine = matches.filter(ofAccount)
        if mine.count == 1 { return mine[0].id }
        if mine.count > 1 {
            let candidates = mine.prefix(5).map { "\($0.id)" + ($0.text("title").map { " (\($0))" } ?? "") }.joined(separator: ", ")
            throw CellCleaner.Problem(code: .ambiguousReference, CSVImportSentence(.ambiguousContact, ["n": mine.count, "name": text, "candidates": candidates]))
        }
        if let other = matches.first {
            let owner = other.text("account").flatMap { id in existing.records(of: CRMSchema.account.name).first { $0.id == id } }
            let ownerName: Any = owner?.text("name") ?? CSVImportSentence(.anotherAccount)
            throw CellCleaner.Problem(
                code: .contactOfOtherAccount, CSVImportSentence(.contactOfOtherAccount, ["name": other.text("name") ?? text, "id": other.id, "owner": ownerName])
            )
        }
        throw CellCleaner.Problem(code: .unknownReference, CSVImportSentence(.unknownContact, ["name": text]))
    }
}
