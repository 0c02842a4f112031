/// Which logged changes of one record still show in its current state.
///
/// A change is *live* while some part of it is still in the record's state: a register value
/// or set element carrying its dot, its write of the existence register (every change writes
/// one, a delete writes `false`), or the newest counter total of its replica for a field.
/// Everything else it did has been overwritten by later writes whose context covered it: a
/// register sibling or set add-dot is only ever dropped by a write that saw it, and a counter
/// op of a replica carries that replica's cumulative totals, so the replica's newest op holds
/// everything its older ones said. A set remove or a delete has no dot of its own in the
/// fields; its effect is the absence of what it removed, which the state already shows.
///
/// The server keeps the live changes of a record when it compacts its log, and the device
/// keeps the live rows of its history: both stay proportional to the live state (each kept
/// change holds at least one dot or counter total of the state), not to the number of writes.
/// Being dead says nothing about who still needs to *receive* a change: that is decided by the
/// log's compaction floor (see SyncServer/README.md, "Log compaction").
public enum LogCompaction {
    /// The positions in `changes` (all changes of one record, oldest first) that are live in
    /// `state`, the record's current state.
    public static func liveChanges(_ changes: [Change], state: RecordState) -> Set<Int> {
        var live = Set<Int>()
        // The newest counter op per (field, replica): the only one of its kind still counted.
        var newestCounter: [CounterKey: Int] = [:]
        for (index, change) in changes.enumerated() {
            if state.existence.siblings.contains(where: { $0.dot == change.dot }) {
                live.insert(index)
            }
            for operation in change.operations {
                switch operation.operation {
                case .assign:
                    if state.fields[operation.field]?.register?.siblings.contains(where: { $0.dot == change.dot }) == true {
                        live.insert(index)
                    }
                case .add(let element):
                    if state.fields[operation.field]?.set?.elements[element]?.contains(change.dot) == true {
                        live.insert(index)
                    }
                case .counter:
                    newestCounter[CounterKey(field: operation.field, replica: change.dot.replica)] = index
                case .remove, .delete:
                    break
                }
            }
        }
        live.formUnion(newestCounter.values)
        return live
    }

    private struct CounterKey: Hashable {
        var field: String
        var replica: ReplicaID
    }
}
