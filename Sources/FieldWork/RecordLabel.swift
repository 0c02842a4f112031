import SyncCore
import SyncStore

/// What people call a record.
public enum RecordLabel {
    public static let labelFields = ["name", "title", "company", "number", "subject", "sku", "description"]

    /// The field a record of `entity` is called by, which commands also take instead of an id.
    public static func nameField(of entity: EntitySchema) -> String? {
        labelFields.first { entity.field($0)?.kind == .register }
    }

    /// The name, title, number… a record is shown by; its first list field or id prefix otherwise.
    public static func of(_ snapshot: RecordSnapshot, schema: Schema) -> String {
        for field in labelFields {
            if let text = snapshot.value(field).stringValue, !text.isEmpty { return text }
        }
        let first = schema.entity(snapshot.entity)?.listFields.first
        return first.flatMap { snapshot.value($0).stringValue } ?? String(snapshot.id.prefix(8))
    }
}
