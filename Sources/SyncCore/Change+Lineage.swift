extension Change {
    /// The value this change assigns to `field`, if it assigns one.
    public func assigned(_ field: String) -> Value? {
        for operation in operations where operation.field == field {
            if case .assign(let value) = operation.operation { return value }
        }
        return nil
    }

    /// For a change that assigns `field`, among the record's `changes`: the values its writer
    /// had seen — the latest of the other assignments of the field that its context covers —
    /// and the assignments made concurrently with it (neither's context covers the other).
    public func lineage(of field: String, among changes: [Change]) -> (seen: [Value], concurrent: [Dot]) {
        guard assigned(field) != nil else { return ([], []) }
        let others = changes.filter { $0.dot != dot && $0.assigned(field) != nil }
        let covered = others.filter { context.covers($0.dot) }
        let latest = covered.filter { write in !covered.contains { $0.context.covers(write.dot) } }
        let concurrent = others.filter { !context.covers($0.dot) && !$0.context.covers(dot) }
        return (latest.sorted { $0.dot < $1.dot }.compactMap { $0.assigned(field) }, concurrent.map(\.dot))
    }
}
