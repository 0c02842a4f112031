import SyncCore

/// The merge laws of ARCHITECTURE.md stated directly over the set of changes a replica applied,
/// without the engine's incremental bookkeeping. Property tests compare the engine with these.
///
/// "j saw i" means change j's context covers change i's dot (`Trace.sees`).
extension Trace {
    func saw(_ later: Int, _ earlier: Int) -> Bool {
        earlier < later && sees[later][earlier]
    }

    func writes(_ index: Int, register field: String) -> Value? {
        for operation in made[index].change.operations where operation.field == field {
            if case .assign(let value) = operation.operation { return value }
        }
        return nil
    }

    func touches(_ index: Int, element: String) -> (adds: Bool, removes: Bool) {
        var result = (adds: false, removes: false)
        for operation in made[index].change.operations where operation.field == Self.setField {
            switch operation.operation {
            case .add(element): result.adds = true
            case .remove(element): result.removes = true
            default: break
            }
        }
        return result
    }

    /// The multi-value register law: the siblings of `field` are exactly the applied writes to
    /// it that no other applied write to it had seen.
    func expectedSiblings(of field: String, among applied: [Int]) -> [Sibling] {
        let assignments = applied.filter { writes($0, register: field) != nil }
        return assignments
            .filter { write in !assignments.contains { saw($0, write) } }
            .map { Sibling(value: writes($0, register: field) ?? .null, dot: made[$0].change.dot, hlc: made[$0].change.hlc) }
            .sorted { $0.dot < $1.dot }
    }

    /// The existence register: every change writes true (a delete writes false) into it.
    func expectedExistence(among applied: [Int]) -> [Sibling] {
        applied
            .filter { change in !applied.contains { saw($0, change) } }
            .map { Sibling(value: .bool(!made[$0].change.isDelete), dot: made[$0].change.dot, hlc: made[$0].change.hlc) }
            .sorted { $0.dot < $1.dot }
    }

    /// The add-wins law: an add of `element` is live unless a later add or remove of the same
    /// element had seen it.
    func expectedLiveAdds(of element: String, among applied: [Int]) -> [Dot] {
        let touching = applied.filter { let touch = touches($0, element: element); return touch.adds || touch.removes }
        return touching
            .filter { add in touches(add, element: element).adds && !touching.contains { saw($0, add) } }
            .map { made[$0].change.dot }
            .sorted()
    }

    /// Σ increments − Σ decrements of the counter changes among `applied`.
    func expectedCounterValue(among applied: [Int]) -> Int64 {
        applied.reduce(0) { total, index in
            guard let delta = made[index].counterDelta else { return total }
            return total + delta.increments - delta.decrements
        }
    }

    /// The display rule: the sibling with the greatest (HLC, replica).
    static func displayed(_ siblings: [Sibling]) -> Value {
        var best: Sibling?
        for sibling in siblings {
            guard let current = best else { best = sibling; continue }
            if (sibling.hlc, sibling.dot.replica) > (current.hlc, current.dot.replica) { best = sibling }
        }
        return best?.value ?? .null
    }
}
