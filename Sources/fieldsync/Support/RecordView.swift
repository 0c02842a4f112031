import CRM
import FieldWork
import SyncCore
import SyncStore

/// A record as `--json` prints it: displayed values, competing values of conflicted fields,
/// and for `show` its children.
struct RecordView: Encodable {
    var entity: String
    var id: RecordID
    /// What people call the record: its name, title, number or sku.
    var label: String
    /// Displayed register values and counter totals; set members as arrays.
    var fields: [String: DisplayValue]
    /// Every competing value of each conflicted field, the displayed one first.
    var conflicts: [String: [SiblingView]]
    var deleted: Bool
    var deleteConflict: Bool
    /// When the record last changed (UTC, from the latest write's HLC).
    var modifiedAt: String
    /// For `show`: related records by group (an account's contacts, open opportunities…).
    var children: [String: [RecordView]]?
    /// For `show`: the name of the record each reference field names (an order's or a
    /// ticket's account), by field.
    var references: [String: String]?
    /// For `create`: what the device warns of (a probable duplicate), each with its stable code.
    var warnings: [DuplicateWarning]?

    init(_ snapshot: RecordSnapshot, schema: Schema) {
        entity = snapshot.entity
        id = snapshot.id
        label = RecordLabel.of(snapshot, schema: schema)
        fields = snapshot.display
        conflicts = snapshot.conflicts.mapValues { siblings in
            siblings.enumerated().map { SiblingView($0.element, displayed: $0.offset == 0) }
        }
        deleted = snapshot.deleted
        deleteConflict = snapshot.deleteConflict
        modifiedAt = Days.time(snapshot.lastModified)
    }
}

/// One competing value of a conflicted field, with the write that made it.
struct SiblingView: Encodable {
    var value: Value
    var replica: String
    var counter: UInt64
    var at: String
    var displayed: Bool

    init(_ sibling: Sibling, displayed: Bool) {
        value = sibling.value
        replica = sibling.dot.replica.rawValue
        counter = sibling.dot.counter
        at = Days.time(sibling.hlc)
        self.displayed = displayed
    }
}

/// Text forms of displayed values for tables.
enum Cells {
    static func text(_ value: Value) -> String {
        value == .null ? "" : value.description
    }

    static func text(_ display: DisplayValue?) -> String {
        switch display {
        case nil: return ""
        case .value(let value)?: return text(value)
        case .members(let members)?: return members.joined(separator: ", ")
        }
    }

    /// A field of a record for a table: conflicted values carry a "*"; decimals (amounts of
    /// money) group their digits by thousands and name the record's currency, as the reports'
    /// text does (`CNY 128,000.00`); enumeration values in
    /// the CLI's language. CSV and JSON keep the plain decimal and the schema's value.
    static func field(_ field: FieldSchema?, named name: String, of snapshot: RecordSnapshot) -> String {
        var text = text(snapshot.display[name])
        if field?.type == .decimal {
            text = ReportFormat.grouped(text)
            // An amount of money names its currency, as the reports' sentences do: "CNY 128,000.00".
            if moneyFields.contains(name), snapshot.entity != "target", !text.isEmpty,
               case .value(.string(let currency))? = snapshot.display["currency"] {
                text = currency + " " + text
            }
        }
        text = Labels.value(text, of: field)
        return snapshot.conflicts[name] == nil ? text : text + " *"
    }

    /// The decimal fields that hold money (a target's `value` is a rate for most KPIs).
    static let moneyFields: Set<String> = ["amount", "total", "value", "budget", "credit_limit", "unit_price"]

    /// The id a displayed reference names, nil for anything else.
    static func referencedID(_ display: DisplayValue) -> String? {
        guard case .value(.string(let id)) = display else { return nil }
        return id
    }

    /// Whether a field's values read best aligned right.
    static func isNumeric(_ field: FieldSchema?) -> Bool {
        guard let field else { return false }
        if field.kind == .counter { return true }
        switch field.type {
        case .int, .decimal: return true
        default: return false
        }
    }
}
