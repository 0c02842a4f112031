import Foundation
import SyncCore
import SyncStore

/// The `tags` set field of an entity, as tag workflows and `--tag` on generic commands use it.
public enum TagArguments {
    public static let field = "tags"

    /// The operations that add `tags` to a record of `entity`.
    public static func additions(_ tags: [String], to entity: EntitySchema) throws -> [LocalOperation] {
        guard !tags.isEmpty else { return [] }
        guard let field = entity.field(field), field.kind == .set else {
            throw SyncCore.ValidationError(.unknownField, .entityWithoutTags, ["entity": entity.name, "field": field])
        }
        return tags.map { .add(field.name, $0.trimmingCharacters(in: .whitespaces)) }
    }
}
