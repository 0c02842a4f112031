import SyncCore

/// A small schema owned by the tests, so SyncCore is tested without the CRM module.
enum TestSchema {
    static let stages = ["New", "Qualified", "Won", "Lost"]

    /// Every field kind and value type; deletes lose against concurrent edits.
    static let lead = EntitySchema(
        name: "lead",
        fields: [
            FieldSchema("name", .string(maxLength: 40), required: true),
            FieldSchema("stage", .enumeration(stages)),
            FieldSchema("amount", .decimal),
            FieldSchema("closeDate", .date),
            FieldSchema("lastCall", .timestamp),
            FieldSchema("active", .bool),
            FieldSchema("score", .int(min: 0, max: 100)),
            FieldSchema("owner", .reference("user")),
            FieldSchema("visits", .integer, kind: .counter),
            FieldSchema("tags", .string(maxLength: 16), kind: .set),
        ],
        deletionPolicy: .updateWins
    )

    /// Deletes win against concurrent edits.
    static let task = EntitySchema(
        name: "task",
        fields: [
            FieldSchema("title", .text, required: true),
            FieldSchema("done", .bool),
        ],
        deletionPolicy: .deleteWins
    )

    /// Reference data owned by the server.
    static let product = EntitySchema(
        name: "product",
        fields: [FieldSchema("sku", .text)],
        isReadOnly: true
    )

    static let maxOperations = 8

    static let schema = Schema(entities: [lead, task, product], maxOperationsPerChange: maxOperations)
}
